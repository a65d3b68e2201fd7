# tp_check_lib.m4 -- a library found with pkg-config, or without it.

# TP_CHECK_LIB(VAR, PKG-CONFIG MODULE, HEADER, LIBRARY, FUNCTION,
#              [IF-FOUND], [IF-NOT-FOUND])
# pkg-config first; where pkg-config (or its autoconf macros, pkg.m4) is
# not installed, the header and the library by name, so that building the
# library needs nothing but a compiler and expat. Substitutes VAR_CFLAGS
# and VAR_LIBS either way.
AC_DEFUN([TP_CHECK_LIB], [
  tp_found=no
  m4_ifdef([PKG_CHECK_MODULES],
    [AS_IF([test -n "$PKG_CONFIG"],
       [PKG_CHECK_MODULES([$1], [$2], [tp_found=yes], [tp_found=no])])])
  # Without pkg-config, flags the user gave (./configure VAR_LIBS=...) count.
  AS_IF([test $tp_found = no], [AS_IF([test -n "$$1_LIBS"], [tp_found=yes], [
    tp_save_LIBS=$LIBS
    AC_CHECK_HEADER([$3],
      [AC_CHECK_LIB([$4], [$5], [tp_found=yes; $1_LIBS=-l$4])])
    LIBS=$tp_save_LIBS
  ])])
  AC_SUBST([$1_CFLAGS])
  AC_SUBST([$1_LIBS])
  AS_IF([test $tp_found = yes], [$6], [$7])
])

/* expat_config.h -- how the firmware of mcu/ builds expat (Debian's
 * expat source package, fetched by check.sh) for a Cortex-M4 with newlib.
 * Found before expat's own headers by -I order; nothing from expat's
 * configure is used. */
#ifndef EXPAT_CONFIG_H
#define EXPAT_CONFIG_H 1

/* Cortex-M is little-endian. */
#define BYTEORDER 1234

/* The library parses with namespace processing (XML_ParserCreate_MM with
 * a separator). */
#define XML_NS 1

/* XML_DTD stays undefined: a response has no DTD, the library refuses a
 * DOCTYPE as soon as it starts, and without DTD support expat drops its
 * entity machinery (and the amplification accounting that guards it).
 * The library's config (config.h here) then declares none of expat's
 * amplification setters. */

/* The smaller of expat's two tokenizers (its CMake option EXPAT_MIN_SIZE):
 * character classes through function calls instead of inline table
 * look-ups, 12 KB less code for the same result. */
#define XML_MIN_SIZE 1

/* Bytes of already-parsed input expat keeps in front of the current
 * position, for XML_GetInputContext (the library does not call it). The
 * value is also an input to expat's reparse-deferral heuristic, which
 * decides when callbacks fire: Debian's libexpat1 on the host is built
 * with 1024, and with any other value the event trace's offsets can
 * differ from the host's (mcu/README.md has the measurements). */
#ifndef XML_CONTEXT_BYTES
#define XML_CONTEXT_BYTES 1024
#endif

/* No random source is named: expat falls back to the time of day and the
 * process id for its hash salt, which semihost.c answers with constants.
 * A product should define HAVE_ARC4RANDOM_BUF and supply arc4random_buf()
 * from its hardware random number generator. XML_POOR_ENTROPY says this
 * was a choice. */
#define XML_POOR_ENTROPY 1

#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_UNISTD_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_FCNTL_H 1

#endif

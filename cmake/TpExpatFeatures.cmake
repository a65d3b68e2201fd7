# TpExpatFeatures.cmake -- the optional expat functions the library uses
# where the expat in use has them, as configure checks them (configure.ac):
# HAVE_XML_SETREPARSEDEFERRALENABLED (prompt mode; without it tp_init
# refuses TP_FLAG_PROMPT), HAVE_XML_SETBILLIONLAUGHSATTACKPROTECTION-
# MAXIMUMAMPLIFICATION and HAVE_XML_SETALLOCTRACKERMAXIMUMAMPLIFICATION
# (tp_config's expat_* fields). docs/firmware.md says what each changes.
#
# An imported expat (find_package, a parent's imported target) is linked
# against. A target the parent builds from expat's sources, as a firmware
# does, does not exist yet when this runs: its header is compiled against
# instead, as that target compiles it. Expat declares the amplification
# setters only under XML_DTD, and defines them only when built with it, so
# the check reads XML_DTD where expat's build sets it: the target's own
# compile definitions and the expat_config.h in its include directories
# (which expat's xmlparse.c includes). Without an expat_config.h there, the
# expat is one built elsewhere, by expat's own build, which turns XML_DTD
# on unless told otherwise. Each answer is cached (set the variable to 0
# beforehand to overrule it).
include(CheckSymbolExists)
include(CMakePushCheckState)

# tp_expat_features(TARGET RESULT): RESULT is the list of NAME=1 to define.
function(tp_expat_features expat result)
  cmake_push_check_state(RESET)
  set(headers expat.h)
  get_target_property(imported ${expat} IMPORTED)
  if(imported)
    set(CMAKE_REQUIRED_LIBRARIES ${expat})
    # The library defines XML_DTD before expat.h (lib/internal.h); the
    # link says whether the functions are there.
    set(CMAKE_REQUIRED_DEFINITIONS -DXML_DTD)
  else()
    set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
    get_target_property(type ${expat} TYPE)
    set(props INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      list(APPEND props INCLUDE_DIRECTORIES COMPILE_DEFINITIONS)
    endif()
    set(dirs)
    set(defs)
    foreach(prop IN LISTS props)
      get_target_property(values ${expat} ${prop})
      if(NOT values)
        continue()
      endif()
      # Generator expressions have no value before generation.
      list(FILTER values EXCLUDE REGEX "\\$<")
      if(prop MATCHES "INCLUDE")
        list(APPEND dirs ${values})
      else()
        foreach(d IN LISTS values)
          list(APPEND defs -D${d})
        endforeach()
      endif()
    endforeach()
    set(config "")
    foreach(d IN LISTS dirs)
      if(EXISTS ${d}/expat_config.h)
        set(config ${d}/expat_config.h)
        break()
      endif()
    endforeach()
    if(config)
      set(headers expat_config.h expat.h)
    elseif(NOT defs MATCHES "-DXML_DTD")
      list(APPEND defs -DXML_DTD)
    endif()
    set(CMAKE_REQUIRED_INCLUDES ${dirs})
    set(CMAKE_REQUIRED_DEFINITIONS ${defs})
  endif()
  set(found)
  foreach(fn XML_SetReparseDeferralEnabled
          XML_SetBillionLaughsAttackProtectionMaximumAmplification
          XML_SetAllocTrackerMaximumAmplification)
    string(TOUPPER "HAVE_${fn}" have)
    check_symbol_exists(${fn} "${headers}" ${have})
    if(${have})
      list(APPEND found ${have}=1)
    endif()
  endforeach()
  cmake_pop_check_state()
  set(${result} ${found} PARENT_SCOPE)
endfunction()

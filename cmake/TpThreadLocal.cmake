# TpThreadLocal.cmake -- whether the target links a program that reads a
# _Thread_local variable, for TP_NO_THREAD_LOCAL=AUTO (CMakeLists.txt).
#
# Compiling is not enough: arm-none-eabi-gcc compiles such a read into a
# call of __aeabi_read_tp, which newlib does not define, so only the link
# fails. The probe therefore always links an executable, even where the
# toolchain file sets CMAKE_TRY_COMPILE_TARGET_TYPE to STATIC_LIBRARY (as
# bare-metal ones do, since they cannot link a hosted main), with its own
# entry point and no start-up files, so that neither a missing crt0 nor
# missing system calls can fail it. A second probe without the variable
# tells "thread-local storage is missing" from "this toolchain cannot link
# a program at all".

# tp_thread_local_links(RESULT): RESULT is YES (it links), NO (it does not,
# though the same program without _Thread_local does) or UNKNOWN (neither
# links); the first lines of the linker's complaint go to RESULT_WHY.
function(tp_thread_local_links result)
  set(CMAKE_TRY_COMPILE_TARGET_TYPE EXECUTABLE)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/tp_thread_local)
  # The entry point is tp_probe; a hosted toolchain without GNU-style
  # entry options (MSVC, Apple's linker) gets a main instead.
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang" AND NOT APPLE AND NOT WIN32)
    string(APPEND CMAKE_EXE_LINKER_FLAGS " -nostartfiles -Wl,-e,tp_probe")
    set(entry "")
  else()
    set(entry "int main(void) { return tp_probe(); }")
  endif()
  foreach(kind tls plain)
    if(kind STREQUAL tls)
      set(storage _Thread_local)
    else()
      set(storage "")
    endif()
    file(WRITE ${dir}/${kind}.c
      "${storage} int tp_probe_value;\nint tp_probe(void);\n"
      "int tp_probe(void) { return tp_probe_value; }\n${entry}\n")
    try_compile(links_${kind} ${dir}/${kind} SOURCES ${dir}/${kind}.c
      C_STANDARD 11 OUTPUT_VARIABLE out_${kind})
  endforeach()
  if(links_tls)
    set(${result} YES PARENT_SCOPE)
  elseif(links_plain)
    set(${result} NO PARENT_SCOPE)
  else()
    set(${result} UNKNOWN PARENT_SCOPE)
  endif()
  # What the linker said, for the configure log: its first "undefined" line.
  string(REGEX MATCH "[^\n]*undefined[^\n]*" why "${out_tls}")
  string(STRIP "${why}" why)
  set(${result}_WHY "${why}" PARENT_SCOPE)
endfunction()

# Helpers shared by every layer, app and test: warnings, sanitizers, and the layer/test conventions.

# Compile options every KernBench target gets.
add_library(kernbench_options INTERFACE)
target_compile_options(kernbench_options INTERFACE -Wall -Wextra -Wpedantic)
if(KERNBENCH_WERROR)
  target_compile_options(kernbench_options INTERFACE -Werror)
endif()
# Profile-guided optimisation (scripts/build-release-pgo drives both steps in one build tree, so
# the profile's file names, taken from the object files' paths, match).
if(KERNBENCH_PGO STREQUAL "generate" OR KERNBENCH_PGO STREQUAL "use")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "KERNBENCH_PGO=${KERNBENCH_PGO} needs GCC (the compiler is ${CMAKE_CXX_COMPILER_ID})")
  endif()
  if(KERNBENCH_PGO STREQUAL "generate")
    # Atomic counters: the training runs simulate on several threads.
    set(pgo_flags -fprofile-generate=${KERNBENCH_PGO_DIR} -fprofile-update=atomic)
  else()
    # Code the training never ran is optimised as without a profile; files it never reached have
    # none (the micro-benchmarks' own sources), which is expected; a function changed since the
    # profile was taken is warned about and optimised without it.
    set(pgo_flags -fprofile-use=${KERNBENCH_PGO_DIR} -fprofile-partial-training
                  -fprofile-correction -Wno-missing-profile -Wno-error=coverage-mismatch)
  endif()
  target_compile_options(kernbench_options INTERFACE ${pgo_flags})
  target_link_options(kernbench_options INTERFACE ${pgo_flags})
elseif(NOT KERNBENCH_PGO STREQUAL "OFF")
  message(FATAL_ERROR "KERNBENCH_PGO must be OFF, generate or use, not '${KERNBENCH_PGO}'")
endif()
if(KERNBENCH_SANITIZE)
  target_compile_options(kernbench_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(kernbench_options INTERFACE -fsanitize=address,undefined)
  # Tells our fiber code to annotate stack switches for AddressSanitizer.
  target_compile_definitions(kernbench_options INTERFACE KERNBENCH_ASAN_FIBERS=1)
endif()

# kernbench_add_layer(NAME SOURCES ... DEPS ...)
# One static library per layer, kernbench::<name>, linking exactly the layers it may use.
function(kernbench_add_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_library(kernbench_${name} STATIC ${ARG_SOURCES})
  add_library(kernbench::${name} ALIAS kernbench_${name})
  target_include_directories(kernbench_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(kernbench_${name} PUBLIC kernbench_options)
  foreach(dep IN LISTS ARG_DEPS)
    target_link_libraries(kernbench_${name} PUBLIC kernbench::${dep})
  endforeach()
  if(ARG_LIBS)
    target_link_libraries(kernbench_${name} PUBLIC ${ARG_LIBS})
  endif()
endfunction()

# kernbench_add_test(LAYER SOURCES ... [LIBS ...])
# One GoogleTest executable per layer. Every test gets the layer's CTest label; test suites whose
# name ends in "Analytic", "Errors", "Golden" or "Example" also get the label analytic, errors,
# golden or example, so `ctest -L errors` runs every bad-input test of every layer.
function(kernbench_add_test layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  set(exe ${layer}_tests)
  add_executable(${exe} ${ARG_SOURCES})
  target_link_libraries(${exe} PRIVATE ${ARG_LIBS} kernbench_options GTest::gtest GTest::gtest_main)
  target_include_directories(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/tests)  # "support/..."
  target_compile_definitions(${exe} PRIVATE
    KERNBENCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}" KERNBENCH_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set(special "")
  foreach(kind Analytic Errors Golden Example)
    string(TOLOWER ${kind} label)
    gtest_discover_tests(${exe} TEST_FILTER "*${kind}.*" TEST_LIST ${exe}_${label}
      DISCOVERY_TIMEOUT 60)
    # gtest_discover_tests flattens a list of labels given in PROPERTIES, so both labels are set
    # by a script CTest runs after reading the discovered tests (and their TEST_LIST variable).
    set(script ${CMAKE_CURRENT_BINARY_DIR}/${exe}_${label}_labels.cmake)
    file(WRITE ${script}
      "foreach(t IN LISTS ${exe}_${label})\n"
      "  set_tests_properties(\"\${t}\" PROPERTIES LABELS \"${layer};${label}\")\n"
      "endforeach()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${script})
    list(APPEND special "*${kind}.*")
  endforeach()
  list(JOIN special ":" special)
  # Everything else: "*-A:B:C" is gtest's "all but A, B and C".
  gtest_discover_tests(${exe} TEST_FILTER "*-${special}" TEST_LIST ${exe}_plain
    PROPERTIES LABELS "${layer}" DISCOVERY_TIMEOUT 60)
endfunction()

# kernbench_embed_file(FILE TEMPLATE OUTPUT VARIABLE)
# Embeds a config file in the binary: reads FILE at configure time (CMake re-runs when it changes)
# into VARIABLE and configures TEMPLATE (which holds @VARIABLE@ in a raw string) into OUTPUT, so
# the file under configs/ stays the single source.
function(kernbench_embed_file file template output variable)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  file(READ ${file} ${variable})
  configure_file(${template} ${output} @ONLY)
endfunction()

# Installing KernBench as a CMake package: `cmake --install BUILD --prefix P` puts the static
# libraries in P/lib, the headers in P/include (kernbench/<layer>/..., benches/...,
# kernbench/bench_main.h), the kernbench executable in P/bin, the shipped configurations in
# P/share/kernbench/configs and P/lib/cmake/KernBench, so that
#   find_package(KernBench REQUIRED)
#   target_link_libraries(my_benches PRIVATE kernbench::kernbench)
# gives a user's bench program the same command line (kernbench::bench_main) and layers.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_kernbench_exported kernbench_options)
foreach(layer IN ITEMS base sim topo mem hw rt tl ccl report)
  # The layers name the source tree as their include root; installed, it is P/include.
  set_target_properties(kernbench_${layer} PROPERTIES
    EXPORT_NAME ${layer}
    INTERFACE_INCLUDE_DIRECTORIES
      "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>;$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  list(APPEND _kernbench_exported kernbench_${layer})
endforeach()
set_target_properties(kernbench_options PROPERTIES EXPORT_NAME options)
set_target_properties(kernbench_benches PROPERTIES EXPORT_NAME benches)
set_target_properties(kernbench_cli PROPERTIES EXPORT_NAME cli)

# kernbench::kernbench: everything a bench program needs, in one name.
add_library(kernbench_package INTERFACE)
set_target_properties(kernbench_package PROPERTIES EXPORT_NAME kernbench)
target_link_libraries(kernbench_package INTERFACE kernbench_cli kernbench_benches)
add_library(kernbench::kernbench ALIAS kernbench_package)

install(TARGETS ${_kernbench_exported} kernbench_benches kernbench_cli kernbench_package
  EXPORT KernBenchTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS kernbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/kernbench/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kernbench
  FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/benches/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/benches
  FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/apps/kernbench/bench_main.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kernbench)
# The shipped configurations, found by name from any folder (--topology ahbm_small).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/kernbench/configs
  FILES_MATCHING PATTERN "*.yaml" PATTERN "README.md")

set(_kernbench_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/KernBench)
install(EXPORT KernBenchTargets NAMESPACE kernbench:: DESTINATION ${_kernbench_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/KernBenchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/KernBenchConfig.cmake INSTALL_DESTINATION ${_kernbench_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/KernBenchConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/KernBenchConfig.cmake
              ${PROJECT_BINARY_DIR}/KernBenchConfigVersion.cmake
  DESTINATION ${_kernbench_cmake_dir})

# The package test (issue 7 point 7): installs the build tree into a scratch prefix, builds
# examples/out_of_tree against it with find_package(KernBench) and runs the program's own `run`
# and `list`. Run by CTest as apps.OutOfTreePackage with -DSOURCE_DIR -DBINARY_DIR -DWORK_DIR.
file(REMOVE_RECURSE ${WORK_DIR})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step("install" ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix)
step("configure" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/out_of_tree -B ${WORK_DIR}/build
     -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
step("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
step("my_benches run" ${WORK_DIR}/build/my_benches run --quiet --json ${WORK_DIR}/run.json)
foreach(expected "axpb" "pass" "# legend:")
  string(FIND "${step_output}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "my_benches run: no '${expected}' in:\n${step_output}")
  endif()
endforeach()
if(NOT EXISTS ${WORK_DIR}/run.json)
  message(FATAL_ERROR "my_benches run --json wrote no file")
endif()
step("my_benches list" ${WORK_DIR}/build/my_benches list benches)
string(FIND "${step_output}" "Benches (1)" at)
if(at EQUAL -1)
  message(FATAL_ERROR "my_benches list: expected its one bench:\n${step_output}")
endif()
message(STATUS "out-of-tree bench program built and run against ${WORK_DIR}/prefix")

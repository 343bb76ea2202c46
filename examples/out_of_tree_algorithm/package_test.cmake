# Installs the build tree into a scratch prefix, builds this example against it with
# find_package(KernBench), lists its algorithm and runs `ccl bench --check` on an entry of its kind.
# Run by CTest as example.out_of_tree_algorithm with -DSOURCE_DIR -DBINARY_DIR -DWORK_DIR.
file(REMOVE_RECURSE ${WORK_DIR})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

function(expect what text)
  string(REGEX MATCH "${text}" found "${step_output}")
  if(NOT found)
    message(FATAL_ERROR "${what}: no match for '${text}' in:\n${step_output}")
  endif()
endfunction()

set(example ${SOURCE_DIR}/examples/out_of_tree_algorithm)
set(program ${WORK_DIR}/build/bidirectional_ring)
step("install" ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix)
step("configure" ${CMAKE_COMMAND} -S ${example} -B ${WORK_DIR}/build -G Ninja
     -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
step("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
step("list algorithms" ${program} --ccl ${example}/bidirectional_ring.yaml list algorithms)
expect("list algorithms" "Collective algorithm kinds \\(7\\)")
expect("list algorithms" "bidirectional_ring: half the data round the ring each way")
expect("list algorithms" "bidir_8 +bidirectional_ring, world size 8")
foreach(model chunks flows)
  step("ccl bench --check (${model})" ${program} -q --set system.fabric_model=${model}
       --ccl ${example}/bidirectional_ring.yaml ccl bench --algo bidir_8,ring_8 -b 1000 -e 4M
       -f 64 --check)
  # Every row of both tables: 0 wrong elements.
  string(REGEX MATCHALL "\n +[0-9]+ +[0-9]+ +f32 +sum +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+"
         rows "${step_output}")
  list(LENGTH rows n)
  if(NOT n EQUAL 6)
    message(FATAL_ERROR "ccl bench (${model}): expected 6 rows, found ${n}:\n${step_output}")
  endif()
  foreach(row IN LISTS rows)
    if(NOT row MATCHES " 0$")
      message(FATAL_ERROR "ccl bench (${model}): wrong elements in '${row}':\n${step_output}")
    endif()
  endforeach()
  expect("ccl bench (${model})" "all_reduce with bidir_8 \\(8 ranks, buffer TCM, chunk 64 KiB\\)")
endforeach()
# An op it has no schedule of is refused by name.
execute_process(COMMAND ${program} --ccl ${example}/bidirectional_ring.yaml ccl bench --algo bidir_8
                --op reduce_scatter -b 1K -e 1K RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "reduce_scatter on 'bidir_8': kind 'bidirectional_ring' has no")
  message(FATAL_ERROR "reduce_scatter on bidir_8: expected a refusal, got ${rc}: ${err}")
endif()
message(STATUS "out-of-tree algorithm built, listed and checked against ${WORK_DIR}/prefix")

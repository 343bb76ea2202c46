# The shipped configurations once installed (issue 17 point 7): installs the build tree into a
# scratch prefix, then from a folder that holds no configs/ runs the installed kernbench with
# --topology NAME, `list configs`, `validate NAME` and a misspelt name. Run by CTest as
# apps.InstalledConfigs with -DBINARY_DIR -DWORK_DIR.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/elsewhere)
set(kernbench ${WORK_DIR}/prefix/bin/kernbench)

function(run what expected_rc)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK_DIR}/elsewhere RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expected_rc)
    message(FATAL_ERROR "${what}: exit code ${rc}, expected ${expected_rc}:\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect text in)
  string(FIND "${in}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected '${text}' in:\n${in}")
  endif()
endfunction()

run("install" 0 ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix)
set(configs ${WORK_DIR}/prefix/share/kernbench/configs)
foreach(file ahbm_default.yaml ahbm_small.yaml ahbm_multi_sip.yaml ccl.yaml README.md)
  if(NOT EXISTS ${configs}/${file})
    message(FATAL_ERROR "${file} is not installed in ${configs}")
  endif()
endforeach()

run("--topology ahbm_small topo" 0 ${kernbench} --topology ahbm_small topo)
expect("Topology: ${configs}/ahbm_small.yaml\n" "${out}")
expect("cube mesh per SIP     2 x 2 = 4 cubes" "${out}")
run("--topology ahbm_multi_sip.yaml topo" 0 ${kernbench} --topology ahbm_multi_sip.yaml topo)
expect("SIPs                  4," "${out}")
run("list configs" 0 ${kernbench} list configs)
expect("  ahbm_small          1 SIP(s) x 2 x 2 cubes x 8 PEs = 32 PEs\n" "${out}")
run("validate ahbm_small ccl" 0 ${kernbench} validate ahbm_small ccl)
expect("${configs}/ahbm_small.yaml: ok (topology, 1 SIP(s) x 4 cubes x 8 PEs)\n" "${out}")
expect("${configs}/ccl.yaml: ok (collective algorithms," "${out}")
run("--topology ahbm_smal" 1 ${kernbench} --topology ahbm_smal topo)
string(CONCAT expected "kernbench: error: --topology ahbm_smal: no such file, nor a shipped "
       "topology of that name (did you mean ahbm_small?); shipped: ahbm_32_sips, ahbm_64_sips, "
       "ahbm_default, ahbm_multi_sip, ahbm_small\n")
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "--topology ahbm_smal: unexpected message:\n${err}")
endif()
message(STATUS "installed configurations found by name from ${WORK_DIR}/elsewhere")

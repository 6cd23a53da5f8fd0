# ctest layer_includes: a source compiled with a layer's own settings (include path and
# definitions of the real pgl_layer_<folder> target) builds when it includes a header of its
# own or a lower layer, and fails with "No such file" when it includes a higher or same-rank
# layer's header. Run by ctest as
#   cmake -DSETTINGS=build/layer_include/settings.cmake -DSOURCE=tests/cmake/layer_include
#         -DWORK=build/layer_include/work -DCXX=c++ [-DGEN=Ninja] -P check_layer_includes.cmake
# Cases (name|layer|header|ok-or-fail) are in SETTINGS (CMakeLists.txt, PGL_LAYER_CASES).
foreach(var SETTINGS SOURCE WORK CXX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_layer_includes.cmake: -D${var}=... is required")
  endif()
endforeach()
include("${SETTINGS}")
if(NOT DEFINED GEN)
  set(GEN Ninja)
endif()
file(REMOVE_RECURSE "${WORK}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${WORK}" -G "${GEN}" "-DCMAKE_CXX_COMPILER=${CXX}"
          "-DPGL_LAYER_SETTINGS=${SETTINGS}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the layer include project failed:\n${out}")
endif()
set(failures 0)
set(fails 0)
set(oks 0)
foreach(entry ${PGL_CASES})
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 name)
  list(GET parts 1 layer)
  list(GET parts 2 header)
  list(GET parts 3 expect)
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}" --target case_${name}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(expect STREQUAL "ok")
    math(EXPR oks "${oks} + 1")
    if(rc EQUAL 0)
      message(STATUS "ok: ${layer} includes \"${header}\": builds")
    else()
      message(SEND_ERROR "${name}: ${layer} including \"${header}\" should build:\n${out}")
      math(EXPR failures "${failures} + 1")
    endif()
  else()
    math(EXPR fails "${fails} + 1")
    string(FIND "${out}" "${header}: No such file or directory" gcc_says)
    string(FIND "${out}" "'${header}' file not found" clang_says)
    if(NOT rc EQUAL 0 AND (gcc_says GREATER -1 OR clang_says GREATER -1))
      message(STATUS "ok: ${layer} includes \"${header}\": fails, header not found")
    else()
      message(SEND_ERROR "${name}: ${layer} including \"${header}\" should fail with the header not found "
                         "(exit ${rc}):\n${out}")
      math(EXPR failures "${failures} + 1")
    endif()
  endif()
endforeach()
if(oks EQUAL 0 OR fails EQUAL 0)
  message(FATAL_ERROR "layer_includes needs cases that build and cases that fail")
endif()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} layer include case(s) wrong")
endif()
message(STATUS "layer_includes: ${oks} allowed includes build, ${fails} upward includes fail")

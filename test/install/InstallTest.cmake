# The install tests' steps (cmake -P; test/install/CMakeLists.txt passes the
# variables). Each run starts from an empty WORK_DIR and removes it at the
# end, failed or not; a failing step prints its command and output.
#
#   MODE=jit      cmake --install the project's build into WORK_DIR/prefix;
#                 check the tree and that the installed tools start; build
#                 examples/find-package against it and run it.
#   MODE=runtime  build runtime/ on its own and install it into
#                 WORK_DIR/prefix; check the tree and that its deconv-run
#                 starts; build examples/find-package-runtime against it and
#                 run it; check that asking it for the JIT component fails
#                 with a message that says why.
#
# Needs MODE, SOURCE_DIR, WORK_DIR, GENERATOR; for MODE=jit also BUILD_DIR,
# WITH_ONNX (whether deconv-import-onnx was built) and the project's
# CXX_COMPILER, CXX_FLAGS and EXE_LINKER_FLAGS (a sanitized libdeconv.so
# needs a sanitized program).
cmake_minimum_required(VERSION 3.20)

foreach(variable MODE SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "InstallTest.cmake: -D${variable}=... is missing")
  endif()
endforeach()
if(NOT MODE MATCHES "^(jit|runtime)$")
  message(FATAL_ERROR "InstallTest.cmake: MODE is jit or runtime, not '${MODE}'")
endif()
if(MODE STREQUAL "jit" AND NOT DEFINED BUILD_DIR)
  message(FATAL_ERROR "InstallTest.cmake: MODE=jit needs -DBUILD_DIR=...")
endif()

set(prefix ${WORK_DIR}/prefix)

function(fail text)
  file(REMOVE_RECURSE ${WORK_DIR})
  message(FATAL_ERROR "${text}")
endfunction()

# Runs a command; its output lands in `step_output`, and the test fails
# unless it exits with `expected_status` (a non-zero one means "any failure").
function(run_expecting expected_status)
  list(JOIN ARGN " " command)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status
                  OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(expected_status EQUAL 0 AND NOT status STREQUAL "0")
    fail("failed (${status}): ${command}\n${output}")
  elseif(NOT expected_status EQUAL 0 AND status STREQUAL "0")
    fail("succeeded but should have failed: ${command}\n${output}")
  endif()
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

function(run)
  run_expecting(0 ${ARGN})
  set(step_output "${step_output}" PARENT_SCOPE)
endfunction()

# Configures, builds and runs the program in `source` against the install,
# with ARGN as its arguments.
function(build_and_run source program)
  set(build ${WORK_DIR}/${program})
  set(options -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix})
  if(MODE STREQUAL "jit")
    list(APPEND options -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
         "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
         "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}")
  endif()
  run(${CMAKE_COMMAND} -S ${source} -B ${build} ${options})
  # The package found must be the one just installed.
  file(STRINGS ${build}/CMakeCache.txt found REGEX "^deconv_DIR:")
  string(REGEX REPLACE "^[^=]*=" "" found "${found}")
  string(FIND "${found}" "${prefix}/" at)
  if(NOT at EQUAL 0)
    fail("${source} found deconv in '${found}', not under ${prefix}")
  endif()
  run(${CMAKE_COMMAND} --build ${build})
  run(${build}/${program} ${ARGN})
  message(STATUS "${program}:\n${step_output}")
endfunction()

function(expect_files)
  foreach(file ${ARGN})
    if(NOT EXISTS ${prefix}/${file})
      file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
      list(JOIN installed "\n  " installed)
      fail("the install has no ${file}, only:\n  ${installed}")
    endif()
  endforeach()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

if(MODE STREQUAL "jit")
  # cmake --install lists what it installed in the build's
  # install_manifest.txt: leave the list of the user's own install there.
  set(manifest ${BUILD_DIR}/install_manifest.txt)
  if(EXISTS ${manifest})
    file(READ ${manifest} saved_manifest)
  endif()
  execute_process(
    COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(DEFINED saved_manifest)
    file(WRITE ${manifest} "${saved_manifest}")
  else()
    file(REMOVE ${manifest})
  endif()
  if(NOT status STREQUAL "0")
    fail("cmake --install ${BUILD_DIR} failed (${status}):\n${output}")
  endif()
  set(tools deconv-opt deconv-run deconv-compile deconv-translate)
  if(WITH_ONNX)
    list(APPEND tools deconv-import-onnx)
  endif()
  list(TRANSFORM tools PREPEND bin/ OUTPUT_VARIABLE tool_files)
  expect_files(${tool_files} bin/deconv-run-runtime bin/deconv-bench
               include/deconv/Network.h include/deconv/Executable.h
               include/deconv/Runtime/HostTensor.h
               include/deconv/Runtime/Status.h)
  # The public headers and the runtime's, nothing of the compiler's.
  file(GLOB_RECURSE headers RELATIVE ${prefix}/include ${prefix}/include/*)
  list(FILTER headers EXCLUDE REGEX "^deconv/(Network|Executable)\\.h$")
  list(FILTER headers EXCLUDE REGEX "^deconv/Runtime/[A-Za-z0-9]+\\.h$")
  if(headers)
    list(JOIN headers ", " headers)
    fail("headers installed that the API does not need: ${headers}")
  endif()
  # The tools find libMLIR.so and libLLVM.so where they are installed.
  foreach(tool ${tools})
    run(${prefix}/bin/${tool} --version)
  endforeach()
  build_and_run(${SOURCE_DIR}/examples/find-package find-package)
else()
  set(runtime_build ${WORK_DIR}/runtime-build)
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/runtime -B ${runtime_build}
      -G ${GENERATOR})
  run(${CMAKE_COMMAND} --build ${runtime_build})
  run(${CMAKE_COMMAND} --install ${runtime_build} --prefix ${prefix})
  expect_files(bin/deconv-run bin/deconv-bench
               include/deconv/Runtime/HostTensor.h include/deconv/Runtime/Npy.h
               include/deconv/Runtime/PlanExecutor.h)
  if(EXISTS ${prefix}/include/deconv/Executable.h)
    fail("the runtime-only install has the compiler's API")
  endif()
  # Without arguments deconv-run starts and says how to call it.
  run_expecting(1 ${prefix}/bin/deconv-run)
  if(NOT step_output MATCHES "usage: deconv-run")
    fail("deconv-run printed no usage:\n${step_output}")
  endif()
  build_and_run(${SOURCE_DIR}/examples/find-package-runtime
                find-package-runtime ${WORK_DIR}/roundtrip.npy)
  # A program that needs the JIT learns the runtime-only install lacks it.
  file(WRITE ${WORK_DIR}/needs-jit/CMakeLists.txt
       "cmake_minimum_required(VERSION 3.20)\n"
       "project(needs-jit LANGUAGES CXX)\n"
       "find_package(deconv REQUIRED COMPONENTS JIT)\n")
  run_expecting(1 ${CMAKE_COMMAND} -S ${WORK_DIR}/needs-jit
                -B ${WORK_DIR}/needs-jit/build -G ${GENERATOR}
                -DCMAKE_PREFIX_PATH=${prefix})
  if(NOT step_output MATCHES "component JIT is not installed")
    set(call "find_package(deconv COMPONENTS JIT)")
    fail("${call} on a runtime-only install said:\n${step_output}")
  endif()
endif()

file(REMOVE_RECURSE ${WORK_DIR})

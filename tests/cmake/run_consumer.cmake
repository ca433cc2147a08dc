# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# Runs one packaging consumer from scratch: cmake -P run_consumer.cmake with
#   -DCONSUMER=find_package|add_subdirectory|fetch_content -DAZMI_SOURCE_DIR=<repo> -DWORK_DIR=<dir>
#   -DGENERATOR=<generator> -DMAKE_PROGRAM=<path> -DCXX_COMPILER=<path> -DCTEST=<ctest> -DAZMI_VERSION=<x.y.z>
# find_package first installs azmi into WORK_DIR/prefix with `cmake --install`. Everything happens
# under WORK_DIR, which is wiped first, so a stale install or cache never makes a test pass.
cmake_minimum_required(VERSION 3.16)

foreach(var CONSUMER AZMI_SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER CTEST AZMI_VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${var}=… is required")
  endif()
endforeach()

# run(<what> <command…>): runs a command, echoing it, and stops the test when it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${CONSUMER}: ${what} failed (${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(make_program "")
if(MAKE_PROGRAM)
  set(make_program "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
set(options -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DAZMI_SOURCE_DIR=${AZMI_SOURCE_DIR})

if(CONSUMER STREQUAL "find_package")
  set(prefix "${WORK_DIR}/prefix")
  # Only the library: the install rules must not depend on anything the tests build.
  run("configuring azmi for install" "${CMAKE_COMMAND}" -S "${AZMI_SOURCE_DIR}" -B "${WORK_DIR}/azmi-build"
    -G "${GENERATOR}" ${make_program} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_INSTALL_PREFIX=${prefix}
    -DAZMI_BUILD_TESTS=OFF -DAZMI_BUILD_EXAMPLES=OFF -DAZMI_BUILD_BENCHMARKS=OFF -DAZMI_INSTALL=ON)
  run("building azmi" "${CMAKE_COMMAND}" --build "${WORK_DIR}/azmi-build")
  run("installing azmi" "${CMAKE_COMMAND}" --install "${WORK_DIR}/azmi-build")
  if(NOT EXISTS "${prefix}/include/azmi/azmi.hpp")
    message(FATAL_ERROR "${CONSUMER}: cmake --install put no include/azmi/azmi.hpp under ${prefix}")
  endif()
  list(APPEND options -DCMAKE_PREFIX_PATH=${prefix} -DAZMI_EXPECTED_PREFIX=${prefix}
    -DAZMI_EXPECTED_VERSION=${AZMI_VERSION} -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
endif()

run("configuring, building and running the consumer" "${CTEST}" --build-and-test
  "${CMAKE_CURRENT_LIST_DIR}/${CONSUMER}" "${WORK_DIR}/consumer-build"
  --build-generator "${GENERATOR}" --build-noclean
  --build-options ${make_program} ${options}
  --test-command "${WORK_DIR}/consumer-build/consumer")

# Consumers that also link azmi::azmi_compiled build a second program; it must run as well.
if(EXISTS "${WORK_DIR}/consumer-build/consumer_compiled")
  run("running consumer_compiled" "${WORK_DIR}/consumer-build/consumer_compiled")
elseif(CONSUMER STREQUAL "find_package" OR CONSUMER STREQUAL "add_subdirectory")
  message(FATAL_ERROR "${CONSUMER}: consumer_compiled was not built")
endif()

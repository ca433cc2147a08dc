# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# What the packaging consumers share, included by each consumer's CMakeLists.txt.

set(AZMI_CONSUMER_SOURCE "${CMAKE_CURRENT_LIST_DIR}/consumer.cpp")  # the list dir at include time

# A vendored azmi (add_subdirectory, FetchContent) is not top-level, so it must add nothing but its
# library: no tests, examples, benchmarks or install rules in a parent's build.
function(azmi_expect_library_only)
  foreach(option AZMI_BUILD_TESTS AZMI_BUILD_EXAMPLES AZMI_BUILD_BENCHMARKS AZMI_INSTALL)
    if(${option})
      message(FATAL_ERROR "${option} is ON although azmi is not the top-level project")
    endif()
  endforeach()
  if(TARGET azmi_test_flags OR TARGET unit_http_cxx17 OR TARGET hygiene_two_tu_cxx17)
    message(FATAL_ERROR "azmi's tests are part of the parent's build")
  endif()
endfunction()

# azmi_add_consumer_programs(<kind> [COMPILED]): `consumer`, consumer.cpp linked with azmi::azmi;
# with COMPILED also `consumer_compiled`, the same program against azmi::azmi_compiled
# (AZMI_SEPARATE_COMPILATION). run_consumer.cmake runs both.
function(azmi_add_consumer_programs kind)
  cmake_parse_arguments(ARG "COMPILED" "" "" ${ARGN})
  add_executable(consumer "${AZMI_CONSUMER_SOURCE}")
  target_compile_definitions(consumer PRIVATE AZMI_CONSUMER_KIND="${kind}")
  target_link_libraries(consumer PRIVATE azmi::azmi)
  if(ARG_COMPILED)
    add_executable(consumer_compiled "${AZMI_CONSUMER_SOURCE}")
    target_compile_definitions(consumer_compiled PRIVATE AZMI_CONSUMER_KIND="${kind}/compiled")
    target_link_libraries(consumer_compiled PRIVATE azmi::azmi_compiled)
  endif()
endfunction()

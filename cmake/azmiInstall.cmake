# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# Install the headers and a relocatable CMake package so that, after `cmake --install`,
# consumers write `find_package(azmi CONFIG REQUIRED)` and link `azmi::azmi` (header-only) or
# `azmi::azmi_compiled` (separate compilation).
include(CMakePackageConfigHelpers)

# Header-only, the package is arch-independent (DATADIR); with the compiled archive it is not (LIBDIR).
if(AZMI_BUILD_COMPILED)
  set(AZMI_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/azmi")
else()
  set(AZMI_CMAKE_DIR "${CMAKE_INSTALL_DATADIR}/cmake/azmi")
endif()

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/azmi" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS azmi EXPORT azmiTargets)
if(AZMI_BUILD_COMPILED)
  install(TARGETS azmi_compiled EXPORT azmiTargets ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
endif()
install(EXPORT azmiTargets NAMESPACE azmi:: DESTINATION "${AZMI_CMAKE_DIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/azmiConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/azmiConfig.cmake"
  INSTALL_DESTINATION "${AZMI_CMAKE_DIR}")
if(CMAKE_VERSION VERSION_LESS 3.14 OR AZMI_BUILD_COMPILED)
  write_basic_package_version_file("${PROJECT_BINARY_DIR}/azmiConfigVersion.cmake" COMPATIBILITY SameMajorVersion)
else()
  write_basic_package_version_file("${PROJECT_BINARY_DIR}/azmiConfigVersion.cmake"
    COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
endif()
install(FILES "${PROJECT_BINARY_DIR}/azmiConfig.cmake" "${PROJECT_BINARY_DIR}/azmiConfigVersion.cmake"
  DESTINATION "${AZMI_CMAKE_DIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/azmi")

# Build-tree export: a project can use azmi straight from this build directory, uninstalled.
export(EXPORT azmiTargets NAMESPACE azmi:: FILE "${PROJECT_BINARY_DIR}/azmiTargets.cmake")

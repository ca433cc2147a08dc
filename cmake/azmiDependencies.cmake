# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# The libraries azmi's headers use. Shared by the build tree and by azmiConfig.cmake.in, which
# repeats these lookups with find_dependency so consumers never have to.
include(GNUInstallDirs)
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(nlohmann_json 3.9 REQUIRED)
find_package(pugixml REQUIRED)

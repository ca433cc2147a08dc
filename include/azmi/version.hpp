// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Version macros, the build mode, and the versioned inline namespace every azmi entity lives in.
///
/// All of azmi sits in `azmi::v0` (an inline namespace), so two different azmi versions linked
/// into one process become distinct symbols instead of silently violating the ODR.
///
/// Build modes (Boost.Beast's model):
///  - header-only (the default): every header brings its definitions (`impl/*.ipp`) along;
///  - separate compilation: define `AZMI_SEPARATE_COMPILATION` for every TU (CMake target
///    `azmi::azmi_compiled` does it) and compile `<azmi/src.hpp>` in exactly one TU. The public
///    headers then hold declarations, inline hot paths and templates only, and curl, OpenSSL,
///    nlohmann/json and pugixml are seen by that one TU alone.

#define AZMI_VERSION_MAJOR 0
#define AZMI_VERSION_MINOR 1
#define AZMI_VERSION_PATCH 0
#define AZMI_VERSION_STRING "0.1.0"

#if defined(AZMI_INCLUDED_VERSION) && AZMI_INCLUDED_VERSION != 100
#error "Two different azmi versions are included in one translation unit"
#endif
#define AZMI_INCLUDED_VERSION 100

#if defined(AZMI_SEPARATE_COMPILATION)
#define AZMI_HEADER_ONLY 0
#define AZMI_DECL  // defined once, in the TU that includes <azmi/src.hpp>
#else
#define AZMI_HEADER_ONLY 1
#define AZMI_DECL inline
#endif

#define AZMI_BEGIN_NAMESPACE \
    namespace azmi {         \
    inline namespace v0 {
#define AZMI_END_NAMESPACE \
    }                      \
    }

AZMI_BEGIN_NAMESPACE

/// The library version as "major.minor.patch"; also sent in `User-Agent: azmi/<version>`.
inline constexpr const char* version_string = AZMI_VERSION_STRING;

AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Every out-of-line definition of azmi, for separate compilation: with `AZMI_SEPARATE_COMPILATION`
/// defined in every TU, include this file in exactly one of them (CMake's `azmi::azmi_compiled`
/// does so). In the default header-only mode the headers include these definitions themselves.

#include <azmi/version.hpp>

#if AZMI_HEADER_ONLY
#error "<azmi/src.hpp> is for separate compilation: define AZMI_SEPARATE_COMPILATION in every TU"
#endif

#include <azmi/impl/blob_endpoint.ipp>
#include <azmi/impl/blob_reader.ipp>
#include <azmi/impl/connection_string.ipp>
#include <azmi/impl/crc64.ipp>
#include <azmi/impl/credential.ipp>
#include <azmi/impl/error.ipp>
#include <azmi/impl/http.ipp>
#include <azmi/impl/retry.ipp>
#include <azmi/impl/shared_key_credential.ipp>
#include <azmi/impl/storage_auth.ipp>
#include <azmi/impl/token_cache.ipp>
#include <azmi/impl/transport/curl.ipp>
#include <azmi/impl/url.ipp>

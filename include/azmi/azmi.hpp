// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The one include for scoring scripts and services: credentials, blob reader and the libcurl
/// transport. `azmi/testing/mock_transport.hpp` is separate, for tests.

#include <azmi/version.hpp>
#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/url.hpp>
#include <azmi/transport.hpp>
#include <azmi/access_token.hpp>
#include <azmi/token_credential.hpp>
#include <azmi/token_cache.hpp>
#include <azmi/credential.hpp>
#include <azmi/crc64.hpp>
#include <azmi/shared_key_credential.hpp>
#include <azmi/connection_string.hpp>
#include <azmi/transport/curl.hpp>
#include <azmi/retry.hpp>
#include <azmi/blob_endpoint.hpp>
#include <azmi/storage_auth.hpp>
#include <azmi/download_options.hpp>
#include <azmi/blob_reader.hpp>

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Storage connection strings (`AccountName=…;AccountKey=…;…`, REST-SPEC §3.3) turned into a
/// validated account name, blob endpoint and credentials.
///
/// Every value that ends up in a URL is validated here, because a connection string often
/// comes from an environment variable or a config file, and an unchecked `AccountName` or
/// `EndpointSuffix` can move the request (and its credentials) to another host (REST-SPEC §2.4).

#include <azmi/error.hpp>
#include <azmi/version.hpp>

#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE

/// What a connection string says about the Blob service. `account_key` and `sas_token` are
/// secrets: never log them.
struct connection_string {
    /// Validated (3–24 lowercase letters/digits). Empty only when the string has no AccountName,
    /// no AccountKey and a BlobEndpoint it cannot be read from (a SAS on a custom domain).
    std::string account_name;
    /// Absolute, no trailing slash: "https://acct.blob.core.windows.net" or, path-style,
    /// "http://127.0.0.1:10000/devstoreaccount1".
    std::string blob_endpoint;
    /// Base64 account key (validated to decode); empty when the string has none.
    std::string account_key;
    /// SAS query without the leading '?'; empty when the string has none.
    std::string sas_token;
};

/// Parses a storage connection string (REST-SPEC §3.3).
///
/// `;`-separated `Key=Value` pairs, split at the first `=`; keys are case-insensitive; empty
/// segments and whitespace around keys and values are ignored. Understood: `DefaultEndpointsProtocol`
/// (http|https, default https), `AccountName`, `AccountKey`, `EndpointSuffix` (default
/// core.windows.net), `BlobEndpoint` (overrides the built endpoint), `SharedAccessSignature`,
/// `UseDevelopmentStorage=true` (the Azurite account; alone or with `DevelopmentStorageProxyUri`).
/// The other services' endpoint keys (`QueueEndpoint`, …) are accepted and ignored.
///
/// Errors are `errc::invalid_argument` and name the offending key (or segment number) but never
/// contain an `AccountKey` or `SharedAccessSignature` value. Refused: unknown or repeated keys,
/// a segment without '=', an invalid account name, protocol or suffix, a BlobEndpoint that is
/// not an absolute http(s) URL without userinfo, query or fragment, a key that is not strict
/// base64, and a missing AccountName when the endpoint must be built from it.
///
/// Example:
///     auto cs = azmi::parse_connection_string(std::getenv("AZURE_STORAGE_CONNECTION_STRING")).value();
///     // cs.blob_endpoint == "https://acct.blob.core.windows.net"
result<connection_string> parse_connection_string(std::string_view text);

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/connection_string.ipp>
#endif

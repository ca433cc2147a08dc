// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `blob_endpoint`: a validated Blob service endpoint, plus the account, container and blob
/// name rules. Every URL the reader sends is built here, and re-parsed and compared with the
/// endpoint's scheme, host and port before it is used, so no name can move a request (and the
/// credential attached to it) to another host (REST-SPEC §2.4).
///
/// Example:
///     auto public_cloud = azmi::blob_endpoint::for_account("mystorage");
///     auto azurite = azmi::blob_endpoint::from_url("https://127.0.0.1:10000/devstoreaccount1", "devstoreaccount1");
///     auto china = azmi::blob_endpoint::for_account("mystorage", "core.chinacloudapi.cn");

#include <azmi/error.hpp>
#include <azmi/url.hpp>
#include <azmi/version.hpp>

#include <cstddef>      // size_t
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE

/// Checks a storage account name (the rule is detail::is_valid_account_name) and says what is
/// wrong with a refused one.
result<void> validate_account_name(std::string_view name);

namespace detail {
/// A printable excerpt of a caller's name for messages: control and non-ASCII bytes escaped,
/// long names cut, so an error message stays one readable line.
std::string printable_name(std::string_view name, std::size_t max = 80);
}  // namespace detail

/// Checks a container name: `$root`, `$logs`, `$web`, or 3 to 63 characters of `a-z`, `0-9`
/// and `-`, starting and ending with a letter or digit, with no `--`.
result<void> validate_container_name(std::string_view name);

/// Checks a blob name: 1 to 1024 characters (Unicode code points) of valid UTF-8, no control
/// characters (U+0000–U+001F, U+007F–U+009F), at most 254 `/`-separated segments. Everything
/// else, including `?`, `#`, `%`, spaces and dot segments, is allowed and percent-encoded.
result<void> validate_blob_name(std::string_view name);

/// A Blob service endpoint: base URL plus account name, validated once. Cheap to copy.
class blob_endpoint {
public:
    /// `https://{account}.blob.{endpoint_suffix}`; the suffix defaults to the public cloud
    /// (`core.chinacloudapi.cn`, `core.usgovcloudapi.net` for the sovereign ones).
    static result<blob_endpoint> try_for_account(std::string_view account,
                                                 std::string_view endpoint_suffix = "core.windows.net");
    /// Throwing twin of `try_for_account`.
    static blob_endpoint for_account(std::string_view account, std::string_view endpoint_suffix = "core.windows.net") {
        return try_for_account(account, endpoint_suffix).value();
    }

    /// Any endpoint by URL: sovereign clouds, private endpoints, Azurite path-style
    /// (`https://127.0.0.1:10000/devstoreaccount1`). The URL must be absolute http(s), without
    /// user information, query or fragment; its path (if any) is kept as a prefix. `account`
    /// may be empty when unknown (SAS or anonymous access); if given it must be a valid name.
    static result<blob_endpoint> try_from_url(std::string_view url, std::string_view account = {});
    /// Throwing twin of `try_from_url`.
    static blob_endpoint from_url(std::string_view url, std::string_view account = {}) {
        return try_from_url(url, account).value();
    }

    /// The base URL without a trailing '/', e.g. "https://acct.blob.core.windows.net".
    const std::string& url() const noexcept { return url_; }
    /// The account name; empty when the endpoint was given by URL without one.
    const std::string& account_name() const noexcept { return account_; }
    /// The parsed base URL.
    const url_parts& parts() const noexcept { return parts_; }
    bool is_https() const noexcept { return parts_.scheme == "https"; }
    /// True for 127.0.0.0/8, ::1 and localhost.
    bool is_loopback() const { return parts_.is_loopback(); }

    /// `{endpoint}/{container}`, after validating the container name and re-checking the result.
    result<std::string> try_container_url(std::string_view container) const;

    /// `{endpoint}/{container}/{blob}` with the blob name percent-encoded per segment as UTF-8
    /// (everything but `A-Z a-z 0-9 - . _ ~ /`); dot segments are kept as they are.
    result<std::string> try_blob_url(std::string_view container, std::string_view blob) const;

    /// Checks that `url` (as built by this endpoint, before any query is added) stays on this
    /// endpoint: same scheme, host and port, path under the endpoint's, no query. Defence in
    /// depth behind the name checks.
    result<void> verify(std::string_view url) const;

private:
    static result<blob_endpoint> make(std::string url, std::string account);
    blob_endpoint() = default;

    std::string url_;
    std::string account_;
    url_parts parts_;
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/blob_endpoint.ipp>
#endif

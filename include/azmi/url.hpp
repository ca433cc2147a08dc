// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Percent-encoding and a strict absolute-URL parser.
///
/// The parser exists so that every component which attaches a credential can re-parse the URL
/// it built and check scheme, host and port before anything is sent (REST-SPEC §2.4).

#include <azmi/error.hpp>
#include <azmi/http.hpp>  // detail::ascii_lower
#include <azmi/version.hpp>

#include <cstdint>      // uint16_t
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE

namespace detail {
inline bool is_unreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}
inline int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace detail

/// Percent-encodes every byte except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) and
/// the characters in `keep`. Space becomes `%20`, never `+`. Input is taken as UTF-8 bytes.
std::string percent_encode(std::string_view text, std::string_view keep = {});

/// Decodes `%XX` escapes. Malformed escapes are an error, not passed through: a name that
/// decodes differently than the caller expected must not be used silently.
result<std::string> percent_decode(std::string_view text);

/// Appends `name=value` to `url`'s query (adding `?` or `&`), percent-encoding both.
void append_query(std::string& url, std::string_view name, std::string_view value);

/// The parts of an absolute `http` or `https` URL. `path`, `query` are kept encoded, as sent.
struct url_parts {
    std::string scheme;  ///< lowercase: "http" or "https"
    std::string host;    ///< lowercase; IPv6 literals keep their brackets
    std::uint16_t port = 0;  ///< explicit port, or 80/443 from the scheme
    bool explicit_port = false;
    std::string path;    ///< "/" when empty
    std::string query;   ///< without the '?'; empty when absent
    bool has_query = false;

    /// "scheme://host[:port]" — the origin a credential is bound to.
    std::string origin() const;
    /// True for 127.0.0.0/8, ::1 and localhost, the only hosts a bearer token may reach over http.
    bool is_loopback() const;
};

/// Parses an absolute http(s) URL strictly: no userinfo, no fragment, no whitespace or control
/// characters, a host made of letters, digits, '-', '.' (or a bracketed IPv6 literal), a numeric
/// port. Anything else is `errc::invalid_argument` naming what was wrong.
result<url_parts> parse_url(std::string_view url);

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/url.ipp>
#endif

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

#include <cstddef>      // size_t
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
inline std::string percent_encode(std::string_view text, std::string_view keep = {}) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + text.size() / 2);
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (detail::is_unreserved(c) || keep.find(ch) != std::string_view::npos) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0F];
        }
    }
    return out;
}

/// Decodes `%XX` escapes. Malformed escapes are an error, not passed through: a name that
/// decodes differently than the caller expected must not be used silently.
inline result<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) {
            return error(errc::invalid_argument, "truncated percent escape at offset " + std::to_string(i));
        }
        const int hi = detail::hex_value(text[i + 1]);
        const int lo = detail::hex_value(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return error(errc::invalid_argument, "invalid percent escape at offset " + std::to_string(i));
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

/// Appends `name=value` to `url`'s query (adding `?` or `&`), percent-encoding both.
inline void append_query(std::string& url, std::string_view name, std::string_view value) {
    url += (url.find('?') == std::string::npos) ? '?' : '&';
    url += percent_encode(name);
    url += '=';
    url += percent_encode(value);
}

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
    std::string origin() const {
        std::string out = scheme + "://" + host;
        if (explicit_port) out += ":" + std::to_string(port);
        return out;
    }
    /// True for 127.0.0.0/8, ::1 and localhost, the only hosts a bearer token may reach over http.
    bool is_loopback() const {
        if (host == "localhost" || host == "[::1]") return true;
        return host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos;
    }
};

/// Parses an absolute http(s) URL strictly: no userinfo, no fragment, no whitespace or control
/// characters, a host made of letters, digits, '-', '.' (or a bracketed IPv6 literal), a numeric
/// port. Anything else is `errc::invalid_argument` naming what was wrong.
inline result<url_parts> parse_url(std::string_view url) {
    url_parts out;
    // Control characters first, so no later message can quote one back.
    for (char c : url) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) return error(errc::invalid_argument, "URL contains whitespace or a control character");
    }
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return error(errc::invalid_argument, "URL has no scheme: expected http(s)://host");
    for (char c : url.substr(0, scheme_end)) out.scheme += detail::ascii_lower(c);
    if (out.scheme != "http" && out.scheme != "https")
        return error(errc::invalid_argument, "URL scheme must be http or https");
    if (url.find('#') != std::string_view::npos) return error(errc::invalid_argument, "URL must not contain a fragment ('#')");

    std::string_view rest = url.substr(scheme_end + 3);
    const auto authority_end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    if (authority.find('@') != std::string_view::npos)
        return error(errc::invalid_argument, "URL must not contain user information ('@')");
    if (authority.empty()) return error(errc::invalid_argument, "URL has an empty host");

    std::string_view host = authority;
    std::string_view port;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return error(errc::invalid_argument, "URL has an unterminated IPv6 literal");
        host = authority.substr(0, close + 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return error(errc::invalid_argument, "URL has junk after the IPv6 literal");
            port = after.substr(1);
        }
        for (char c : host.substr(1, host.size() - 2))
            if (detail::hex_value(c) < 0 && c != ':' && c != '.')
                return error(errc::invalid_argument, "URL has an invalid IPv6 literal");
    } else {
        const auto colon = authority.rfind(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        }
        if (host.empty()) return error(errc::invalid_argument, "URL has an empty host");
        for (char c : host) {
            const auto u = static_cast<unsigned char>(c);
            if (!(detail::is_unreserved(u) && c != '_' && c != '~'))
                return error(errc::invalid_argument, "URL host contains a character that is not allowed in a host name");
        }
    }
    for (char c : host) out.host += detail::ascii_lower(c);

    if (!port.empty() || authority.back() == ':') {
        if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
            return error(errc::invalid_argument, "URL port must be a number from 1 to 65535");
        const unsigned long value = std::stoul(std::string(port));
        if (value == 0 || value > 65535) return error(errc::invalid_argument, "URL port must be a number from 1 to 65535");
        out.port = static_cast<std::uint16_t>(value);
        out.explicit_port = true;
    } else {
        out.port = out.scheme == "https" ? 443 : 80;
    }

    const auto query_start = tail.find('?');
    out.path = std::string(tail.substr(0, query_start));
    if (out.path.empty()) out.path = "/";
    if (query_start != std::string_view::npos) {
        out.has_query = true;
        out.query = std::string(tail.substr(query_start + 1));
    }
    return out;
}

AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of url.hpp: percent-encoding, `append_query`, `url_parts` and `parse_url`.

#include <azmi/url.hpp>

#include <cstddef>  // size_t
#include <string>   // string, stoul, to_string

AZMI_BEGIN_NAMESPACE

AZMI_DECL std::string percent_encode(std::string_view text, std::string_view keep) {
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

AZMI_DECL result<std::string> percent_decode(std::string_view text) {
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

AZMI_DECL void append_query(std::string& url, std::string_view name, std::string_view value) {
    url += (url.find('?') == std::string::npos) ? '?' : '&';
    url += percent_encode(name);
    url += '=';
    url += percent_encode(value);
}

AZMI_DECL std::string url_parts::origin() const {
    std::string out = scheme + "://" + host;
    if (explicit_port) out += ":" + std::to_string(port);
    return out;
}

AZMI_DECL bool url_parts::is_loopback() const {
    if (host == "localhost" || host == "[::1]") return true;
    return host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos;
}

AZMI_DECL result<url_parts> parse_url(std::string_view url) {
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

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of blob_endpoint.hpp: the name rules, endpoint parsing and URL building.

#include <azmi/blob_endpoint.hpp>

#include <azmi/detail/account_name.hpp>

#include <cstddef>      // size_t
#include <cstdint>      // uint32_t
#include <string>       // string, to_string
#include <string_view>  // string_view
#include <utility>      // move

AZMI_BEGIN_NAMESPACE

AZMI_DECL result<void> validate_account_name(std::string_view name) {
    if (detail::is_valid_account_name(name)) return {};
    if (name.size() < 3 || name.size() > 24)
        return error(errc::invalid_argument, "storage account name must be 3 to 24 characters long, got " +
                                                 std::to_string(name.size()));
    return error(errc::invalid_argument,
                 "storage account name may contain only lowercase letters and digits: '" + std::string(name) + "'");
}

namespace detail {
AZMI_DECL std::string printable_name(std::string_view name, std::size_t max) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < name.size() && out.size() < max; ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c < 0x20 || c >= 0x7F) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (out.size() >= max) out += "...";
    return out;
}
}  // namespace detail

AZMI_DECL result<void> validate_container_name(std::string_view name) {
    if (name == "$root" || name == "$logs" || name == "$web") return {};
    auto bad = [name](const char* why) {
        return error(errc::invalid_argument, std::string("invalid container name '") + detail::printable_name(name) +
                                                 "': " + why);
    };
    if (name.size() < 3 || name.size() > 63) return bad("must be 3 to 63 characters long");
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return bad("only lowercase letters, digits and '-' are allowed");
    }
    if (name.front() == '-' || name.back() == '-') return bad("must start and end with a letter or digit");
    if (name.find("--") != std::string_view::npos) return bad("must not contain \"--\"");
    return {};
}

AZMI_DECL result<void> validate_blob_name(std::string_view name) {
    auto bad = [name](const std::string& why) {
        return error(errc::invalid_argument, "invalid blob name '" + detail::printable_name(name) + "': " + why);
    };
    if (name.empty()) return bad("must not be empty");
    std::size_t code_points = 0;
    std::size_t segments = 1;
    for (std::size_t i = 0; i < name.size();) {
        const auto lead = static_cast<unsigned char>(name[i]);
        std::uint32_t cp = 0;
        std::size_t len = 0;
        if (lead < 0x80) {
            cp = lead;
            len = 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            cp = lead & 0x1Fu;
            len = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            cp = lead & 0x0Fu;
            len = 3;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            cp = lead & 0x07u;
            len = 4;
        } else {
            return bad("not valid UTF-8 at byte " + std::to_string(i));
        }
        if (i + len > name.size()) return bad("not valid UTF-8 at byte " + std::to_string(i) + " (truncated sequence)");
        for (std::size_t k = 1; k < len; ++k) {
            const auto cont = static_cast<unsigned char>(name[i + k]);
            if ((cont & 0xC0u) != 0x80u) return bad("not valid UTF-8 at byte " + std::to_string(i + k));
            cp = (cp << 6) | (cont & 0x3Fu);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return bad("not valid UTF-8 at byte " + std::to_string(i));
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            static constexpr char hex[] = "0123456789ABCDEF";
            const std::string u = {'U', '+', '0', '0', hex[(cp >> 4) & 0xF], hex[cp & 0xF]};
            return bad("control character " + u + " at byte " + std::to_string(i));
        }
        if (cp == '/') ++segments;
        ++code_points;
        i += len;
    }
    if (code_points > 1024) return bad("longer than 1024 characters (" + std::to_string(code_points) + ")");
    if (segments > 254) return bad("more than 254 path segments");
    return {};
}

AZMI_DECL result<blob_endpoint> blob_endpoint::try_for_account(std::string_view account,
                                                               std::string_view endpoint_suffix) {
    if (auto ok = validate_account_name(account); !ok) return ok.error();
    if (endpoint_suffix.empty() || endpoint_suffix.front() == '.' || endpoint_suffix.back() == '.' ||
        endpoint_suffix.find("..") != std::string_view::npos)
        return error(errc::invalid_argument, "endpoint suffix must be a DNS name such as core.windows.net");
    for (char c : endpoint_suffix) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            return error(errc::invalid_argument,
                         "endpoint suffix may contain only lowercase letters, digits, '.' and '-'");
    }
    return make("https://" + std::string(account) + ".blob." + std::string(endpoint_suffix), std::string(account));
}

AZMI_DECL result<blob_endpoint> blob_endpoint::try_from_url(std::string_view url, std::string_view account) {
    if (!account.empty()) {
        if (auto ok = validate_account_name(account); !ok) return ok.error();
    }
    auto parts = parse_url(url);
    if (!parts) return parts.error();
    if (parts->has_query)
        return error(errc::invalid_argument,
                     "blob endpoint URL must not have a query; pass a SAS token with storage_auth::sas()");
    std::string path = parts->path;
    while (!path.empty() && path.back() == '/') path.pop_back();
    std::size_t seg_start = 0;
    for (std::size_t i = 0; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') {
            const std::string_view seg = std::string_view(path).substr(seg_start, i - seg_start);
            if (seg == "." || seg == "..")
                return error(errc::invalid_argument, "blob endpoint URL path must not contain dot segments");
            seg_start = i + 1;
            continue;
        }
        if (!detail::is_unreserved(static_cast<unsigned char>(path[i])))
            return error(errc::invalid_argument,
                         "blob endpoint URL path may contain only letters, digits, '-', '.', '_', '~' and '/'");
    }
    return make(parts->origin() + path, std::string(account));
}

AZMI_DECL result<std::string> blob_endpoint::try_container_url(std::string_view container) const {
    if (auto ok = validate_container_name(container); !ok) return ok.error();
    std::string url = url_ + "/" + std::string(container);
    if (auto ok = verify(url); !ok) return ok.error();
    return url;
}

AZMI_DECL result<std::string> blob_endpoint::try_blob_url(std::string_view container, std::string_view blob) const {
    if (auto ok = validate_container_name(container); !ok) return ok.error();
    if (auto ok = validate_blob_name(blob); !ok) return ok.error();
    std::string url = url_ + "/" + std::string(container) + "/" + percent_encode(blob, "/");
    if (auto ok = verify(url); !ok) return ok.error();
    return url;
}

AZMI_DECL result<void> blob_endpoint::verify(std::string_view url) const {
    auto parts = parse_url(url);
    if (!parts) return error(errc::invalid_argument, "built a request URL that does not parse: " + parts.error().message);
    if (parts->scheme != parts_.scheme || parts->host != parts_.host || parts->port != parts_.port ||
        parts->has_query)
        return error(errc::invalid_argument, "refusing a request URL that leaves the endpoint " + parts_.origin());
    const std::string prefix = parts_.path == "/" ? std::string("/") : parts_.path + "/";
    if (parts->path.compare(0, prefix.size(), prefix) != 0)
        return error(errc::invalid_argument, "refusing a request URL outside the endpoint path");
    return {};
}

AZMI_DECL result<blob_endpoint> blob_endpoint::make(std::string url, std::string account) {
    auto parts = parse_url(url);
    if (!parts) return parts.error();
    blob_endpoint e;
    e.url_ = std::move(url);
    e.account_ = std::move(account);
    e.parts_ = std::move(*parts);
    return e;
}

AZMI_END_NAMESPACE

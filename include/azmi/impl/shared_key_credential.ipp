// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of shared_key_credential.hpp: key decoding, the string-to-sign and HMAC signing.

#include <azmi/shared_key_credential.hpp>

#include <azmi/detail/account_name.hpp>
#include <azmi/detail/base64.hpp>
#include <azmi/detail/crypto.hpp>
#include <azmi/detail/secure_wipe.hpp>
#include <azmi/url.hpp>

#include <algorithm>    // sort
#include <cstddef>      // size_t
#include <memory>       // shared_ptr
#include <string>       // string, to_string
#include <string_view>  // string_view
#include <utility>      // move, pair
#include <vector>       // vector

AZMI_BEGIN_NAMESPACE

namespace detail {

/// Trimmed, with each run of inner whitespace folded to one space (CanonicalizedHeaders rule).
inline std::string fold_http_space(std::string_view value) {
    value = trim_http_space(value);
    std::string out;
    out.reserve(value.size());
    bool in_space = false;
    for (char c : value) {
        if (is_http_space(c)) {
            in_space = true;
            continue;
        }
        if (in_space) out += ' ';
        in_space = false;
        out += c;
    }
    return out;
}

/// Decodes a query-string component as the service does: '+' is a space, then `%XX` escapes.
inline result<std::string> decode_query_component(std::string_view text) {
    std::string plus_decoded(text);
    for (char& c : plus_decoded)
        if (c == '+') c = ' ';
    return percent_decode(plus_decoded);
}

}  // namespace detail

AZMI_DECL result<shared_key_credential> shared_key_credential::create(std::string account_name,
                                                                    std::string_view account_key_base64) {
    if (!detail::is_valid_account_name(account_name))
        return error(errc::invalid_argument,
                     "shared key credential: account name must be 3-24 lowercase letters or digits");
    auto decoded = detail::base64_decode(account_key_base64);
    if (!decoded)
        return error(errc::invalid_argument, "shared key credential: account key is not valid base64 (" +
                                                 decoded.error().message + ")");
    if (decoded->empty()) return error(errc::invalid_argument, "shared key credential: account key is empty");
    auto key = std::shared_ptr<const std::string>(new std::string(std::move(*decoded)), [](const std::string* s) {
        detail::secure_wipe(*const_cast<std::string*>(s));
        delete s;
    });
    detail::secure_wipe(*decoded);  // a moved-from short string may keep its bytes in place
    return shared_key_credential(std::move(account_name), std::move(key));
}

AZMI_DECL result<std::string> shared_key_credential::string_to_sign(const http_request& request) const {
    auto url = parse_url(request.url);
    if (!url) return error(errc::invalid_argument, "cannot sign request: " + url.error().message);

    std::string out = to_string(request.method);
    out += '\n';

    const bool has_ms_date = request.headers.contains("x-ms-date");
    static constexpr const char* slots[] = {"Content-Encoding", "Content-Language",  "Content-Length",
                                            "Content-MD5",      "Content-Type",      "Date",
                                            "If-Modified-Since", "If-Match",         "If-None-Match",
                                            "If-Unmodified-Since", "Range"};
    for (const char* name : slots) {
        std::string_view value;
        std::size_t count = 0;
        for (const auto& field : request.headers)
            if (detail::iequals(field.first, name)) {
                if (++count == 1) value = detail::trim_http_space(field.second);
            }
        if (count > 1)
            return error(errc::invalid_argument,
                         std::string("cannot sign request: header ") + name + " is set more than once");
        const std::string_view slot_name(name);
        if (slot_name == "Content-Length") {
            // The transport derives Content-Length from the body when the header is absent.
            if (count == 0 && !request.body.empty()) {
                out += std::to_string(request.body.size());
            } else if (value != "0") {
                out += value;
            }
        } else if (slot_name == "Date") {
            if (!has_ms_date) out += value;
        } else {
            out += value;
        }
        out += '\n';
    }

    // CanonicalizedHeaders: byte order equals the service's culture-aware order for the
    // x-ms- headers azmi sends (REST-SPEC §3.1); each name must appear once.
    std::vector<std::pair<std::string, std::string>> ms_headers;
    for (const auto& field : request.headers) {
        const std::string_view name = detail::trim_http_space(field.first);
        if (name.size() < 5 || !detail::iequals(name.substr(0, 5), "x-ms-")) continue;
        std::string lower;
        lower.reserve(name.size());
        for (char c : name) lower += detail::ascii_lower(c);
        ms_headers.emplace_back(std::move(lower), detail::fold_http_space(field.second));
    }
    std::sort(ms_headers.begin(), ms_headers.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < ms_headers.size(); ++i) {
        if (i > 0 && ms_headers[i].first == ms_headers[i - 1].first)
            return error(errc::invalid_argument,
                         "cannot sign request: header " + ms_headers[i].first + " is set more than once");
        out += ms_headers[i].first;
        out += ':';
        out += ms_headers[i].second;
        out += '\n';
    }

    // CanonicalizedResource: "/" + account + the path exactly as sent (still encoded; for
    // path-style URLs it already starts with "/<account>"), then the sorted query.
    out += '/';
    out += account_;
    out += url->path;

    std::vector<std::pair<std::string, std::string>> params;  // (lowercased name, decoded value)
    std::string_view query = url->query;
    while (url->has_query && !query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto name = detail::decode_query_component(pair.substr(0, eq));
        auto value = detail::decode_query_component(eq == std::string_view::npos ? std::string_view{}
                                                                                : pair.substr(eq + 1));
        if (!name || !value)
            return error(errc::invalid_argument, "cannot sign request: malformed percent escape in the URL query");
        std::string lower;
        lower.reserve(name->size());
        for (char c : *name) lower += detail::ascii_lower(c);
        if (lower == "sig")
            return error(errc::invalid_argument,
                         "cannot sign request: the URL already carries a SAS signature ('sig'); "
                         "SAS requests must not also be signed with the account key");
        params.emplace_back(std::move(lower), std::move(*value));
    }
    // Sorting pairs orders by name, then value: several values of one name come out sorted.
    std::sort(params.begin(), params.end());
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (i > 0 && params[i].first == params[i - 1].first) {
            out += ',';
        } else {
            out += '\n';
            out += params[i].first;
            out += ':';
        }
        out += params[i].second;
    }
    return out;
}

AZMI_DECL result<void> shared_key_credential::sign(http_request& request) const {
    if (!request.headers.contains("x-ms-date") && !request.headers.contains("Date"))
        return error(errc::invalid_argument,
                     "cannot sign request: set the x-ms-date (or Date) header before signing");
    auto text = string_to_sign(request);
    if (!text) return std::move(text).error();
    std::string header = "SharedKey ";
    header += account_;
    header += ':';
    header += detail::base64_encode(detail::hmac_sha256(*key_, *text));
    request.headers.set("Authorization", std::move(header));
    return {};
}

AZMI_END_NAMESPACE

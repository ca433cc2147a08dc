// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of connection_string.hpp: `parse_connection_string` and its endpoint checks.

#include <azmi/connection_string.hpp>

#include <azmi/detail/account_name.hpp>
#include <azmi/detail/base64.hpp>
#include <azmi/detail/secure_wipe.hpp>
#include <azmi/http.hpp>  // detail::iequals, detail::ascii_lower, detail::trim_http_space
#include <azmi/url.hpp>

#include <cstddef>           // size_t
#include <initializer_list>  // initializer_list
#include <string>            // string, to_string
#include <string_view>       // string_view
#include <utility>           // move

AZMI_BEGIN_NAMESPACE

namespace detail {

/// The emulator account every Azurite instance knows (REST-SPEC §3.2); public, not a secret.
inline constexpr std::string_view development_account_name = "devstoreaccount1";
inline constexpr std::string_view development_account_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
inline constexpr std::string_view development_blob_endpoint = "http://127.0.0.1:10000/devstoreaccount1";

/// `parts` as "scheme://host[:port][/path]" with trailing slashes removed from the path.
inline std::string endpoint_from_url(const url_parts& parts) {
    std::string path = parts.path;
    while (!path.empty() && path.back() == '/') path.pop_back();
    return parts.origin() + path;
}

/// Checks an absolute endpoint URL from a connection string (`key` names it in errors).
inline result<url_parts> parse_endpoint_url(std::string_view key, std::string_view value) {
    if (value.empty()) return error(errc::invalid_argument, "connection string: " + std::string(key) + " is empty");
    auto parts = parse_url(value);
    if (!parts)
        return error(errc::invalid_argument, "connection string: " + std::string(key) +
                                                 " is not a valid absolute http(s) URL: " + parts.error().message);
    if (parts->has_query)
        return error(errc::invalid_argument,
                     "connection string: " + std::string(key) + " must not contain a query ('?'); put a SAS in "
                                                                 "SharedAccessSignature");
    return parts;
}

/// A DNS suffix such as "core.windows.net": `^[a-z0-9.-]+$`, no empty label, no label
/// starting or ending with '-'.
inline bool is_valid_endpoint_suffix(std::string_view suffix) noexcept {
    if (suffix.empty() || suffix.size() > 253) return false;
    std::size_t label_start = 0;
    for (std::size_t i = 0; i <= suffix.size(); ++i) {
        if (i == suffix.size() || suffix[i] == '.') {
            const std::string_view label = suffix.substr(label_start, i - label_start);
            if (label.empty() || label.front() == '-' || label.back() == '-') return false;
            label_start = i + 1;
            continue;
        }
        const char c = suffix[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

/// The account in a blob endpoint: the first host label of "<acct>.blob.<suffix>", else the
/// first path segment (path-style emulator URLs); empty when neither is a valid account name.
inline std::string account_from_endpoint(const url_parts& parts) {
    const auto blob = parts.host.find(".blob.");
    if (blob != std::string::npos) {
        const std::string label = parts.host.substr(0, parts.host.find('.'));
        if (is_valid_account_name(label)) return label;
    }
    std::string_view path = parts.path;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    const std::string_view segment = path.substr(0, path.find('/'));
    if (is_valid_account_name(segment)) return std::string(segment);
    return {};
}

}  // namespace detail

AZMI_DECL result<connection_string> parse_connection_string(std::string_view text) {
    struct setting {
        explicit setting(std::string_view n) noexcept : name(n) {}
        std::string_view name;
        std::string_view value;
        bool present = false;
    };
    setting protocol{"DefaultEndpointsProtocol"};
    setting account{"AccountName"};
    setting key{"AccountKey"};
    setting suffix{"EndpointSuffix"};
    setting endpoint{"BlobEndpoint"};
    setting sas{"SharedAccessSignature"};
    setting use_dev{"UseDevelopmentStorage"};
    setting proxy{"DevelopmentStorageProxyUri"};
    setting* const known[] = {&protocol, &account, &key, &suffix, &endpoint, &sas, &use_dev, &proxy};
    // Valid in storage connection strings but about other services; accepted and ignored.
    static constexpr std::string_view ignored[] = {
        "QueueEndpoint",          "TableEndpoint",          "FileEndpoint",          "DfsEndpoint",
        "BlobSecondaryEndpoint",  "QueueSecondaryEndpoint", "TableSecondaryEndpoint", "FileSecondaryEndpoint",
        "DfsSecondaryEndpoint"};

    std::size_t index = 0;
    while (!text.empty()) {
        const auto semi = text.find(';');
        const std::string_view segment = detail::trim_http_space(text.substr(0, semi));
        text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
        ++index;
        if (segment.empty()) continue;
        const auto eq = segment.find('=');
        // Segment numbers, not contents: a broken segment may be part of a key.
        if (eq == std::string_view::npos)
            return error(errc::invalid_argument,
                         "connection string: segment " + std::to_string(index) + " has no '=' (expected Key=Value)");
        const std::string_view name = detail::trim_http_space(segment.substr(0, eq));
        const std::string_view value = detail::trim_http_space(segment.substr(eq + 1));
        setting* match = nullptr;
        for (setting* s : known)
            if (detail::iequals(name, s->name)) match = s;
        if (match == nullptr) {
            bool skip = false;
            for (std::string_view other : ignored) skip = skip || detail::iequals(name, other);
            if (skip) continue;
            return error(errc::invalid_argument, "connection string: segment " + std::to_string(index) +
                                                     " has an unknown key (not a storage connection string?)");
        }
        if (match->present)
            return error(errc::invalid_argument,
                         "connection string: " + std::string(match->name) + " is given more than once");
        match->present = true;
        match->value = value;
    }

    connection_string out;
    bool development = false;
    if (use_dev.present) {
        if (detail::iequals(use_dev.value, "true")) {
            development = true;
        } else if (!detail::iequals(use_dev.value, "false")) {
            return error(errc::invalid_argument, "connection string: UseDevelopmentStorage must be true or false");
        }
    }
    if (development) {
        for (const setting* s : {&protocol, &account, &key, &suffix, &endpoint, &sas})
            if (s->present)
                return error(errc::invalid_argument, "connection string: UseDevelopmentStorage=true cannot be combined "
                                                     "with " + std::string(s->name));
        out.account_name = std::string(detail::development_account_name);
        out.account_key = std::string(detail::development_account_key);
        if (proxy.present) {
            auto parts = detail::parse_endpoint_url(proxy.name, proxy.value);
            if (!parts) return std::move(parts).error();
            out.blob_endpoint = detail::endpoint_from_url(*parts) + "/" + out.account_name;
        } else {
            out.blob_endpoint = std::string(detail::development_blob_endpoint);
        }
        return out;
    }
    if (proxy.present)
        return error(errc::invalid_argument,
                     "connection string: DevelopmentStorageProxyUri requires UseDevelopmentStorage=true");

    std::string scheme = "https";
    if (protocol.present) {
        scheme.clear();
        for (char c : protocol.value) scheme += detail::ascii_lower(c);
        if (scheme != "https" && scheme != "http")
            return error(errc::invalid_argument, "connection string: DefaultEndpointsProtocol must be http or https");
    }

    std::string dns_suffix = "core.windows.net";
    if (suffix.present) {
        dns_suffix.clear();
        for (char c : suffix.value) dns_suffix += detail::ascii_lower(c);
        if (!detail::is_valid_endpoint_suffix(dns_suffix))
            return error(errc::invalid_argument, "connection string: EndpointSuffix must be a DNS suffix such as "
                                                 "core.windows.net (letters, digits, '-' and '.')");
    }

    if (account.present) {
        if (!detail::is_valid_account_name(account.value))
            return error(errc::invalid_argument,
                         "connection string: AccountName must be 3-24 lowercase letters or digits");
        out.account_name = std::string(account.value);
    }

    if (key.present) {
        auto decoded = detail::base64_decode(key.value);
        if (!decoded)
            return error(errc::invalid_argument,
                         "connection string: AccountKey is not valid base64 (" + decoded.error().message + ")");
        const bool empty = decoded->empty();
        detail::secure_wipe(*decoded);
        if (empty) return error(errc::invalid_argument, "connection string: AccountKey is empty");
        out.account_key = std::string(key.value);
    }

    if (sas.present) {
        std::string_view token = sas.value;
        if (!token.empty() && token.front() == '?') token.remove_prefix(1);
        if (token.empty()) return error(errc::invalid_argument, "connection string: SharedAccessSignature is empty");
        for (char c : token) {
            const auto u = static_cast<unsigned char>(c);
            if (u <= 0x20 || u == 0x7F || c == '#' || c == '?')
                return error(errc::invalid_argument, "connection string: SharedAccessSignature contains whitespace, a "
                                                     "control character, '#' or '?'");
        }
        out.sas_token = std::string(token);
    }

    if (endpoint.present) {
        auto parts = detail::parse_endpoint_url(endpoint.name, endpoint.value);
        if (!parts) return std::move(parts).error();
        out.blob_endpoint = detail::endpoint_from_url(*parts);
        if (out.account_name.empty()) {
            out.account_name = detail::account_from_endpoint(*parts);
            if (out.account_name.empty() && key.present)
                return error(errc::invalid_argument, "connection string: AccountName is required with AccountKey "
                                                     "(it cannot be read from BlobEndpoint)");
        }
    } else {
        if (out.account_name.empty())
            return error(errc::invalid_argument,
                         "connection string: AccountName is missing (needed to build the blob endpoint; or give "
                         "BlobEndpoint, or UseDevelopmentStorage=true)");
        out.blob_endpoint = scheme + "://" + out.account_name + ".blob." + dns_suffix;
        // Defence in depth (REST-SPEC §2.4): the built URL must parse back to exactly that host.
        auto parts = parse_url(out.blob_endpoint);
        if (!parts || parts->host != out.account_name + ".blob." + dns_suffix || parts->path != "/" ||
            parts->has_query)
            return error(errc::invalid_argument,
                         "connection string: AccountName and EndpointSuffix do not form a valid blob endpoint");
    }
    return out;
}

AZMI_END_NAMESPACE

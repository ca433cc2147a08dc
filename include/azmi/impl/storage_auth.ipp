// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of storage_auth.hpp: the factories and the SAS token checks.

#include <azmi/storage_auth.hpp>

#include <azmi/detail/secure_wipe.hpp>

#include <cstddef>      // size_t
#include <memory>       // shared_ptr, make_shared
#include <string>       // string
#include <string_view>  // string_view
#include <utility>      // move

AZMI_BEGIN_NAMESPACE

AZMI_DECL storage_auth storage_auth::bearer(std::shared_ptr<token_credential> credential, std::string scope) {
    storage_auth a;
    a.kind_ = kind::bearer;
    a.token_credential_ = std::move(credential);
    a.scope_ = std::move(scope);
    return a;
}

AZMI_DECL storage_auth storage_auth::shared_key(shared_key_credential credential) {
    storage_auth a;
    a.kind_ = kind::shared_key;
    a.shared_key_ = std::make_shared<const shared_key_credential>(std::move(credential));
    return a;
}

AZMI_DECL result<storage_auth> storage_auth::try_shared_key(std::string_view account, std::string_view key_base64) {
    auto credential = shared_key_credential::create(account, key_base64);
    if (!credential) return std::move(credential).error();
    return shared_key(std::move(*credential));
}

AZMI_DECL result<storage_auth> storage_auth::try_sas(std::string_view token) {
    if (!token.empty() && token.front() == '?') token.remove_prefix(1);
    if (token.empty()) return error(errc::invalid_argument, "SAS token is empty");
    for (char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || c == '#')
            return error(errc::invalid_argument,
                         "SAS token must be a URL query: no whitespace, control characters or '#'");
    }
    if (token.find("sig=") == std::string_view::npos)
        return error(errc::invalid_argument, "SAS token has no 'sig=' parameter");
    storage_auth a;
    a.kind_ = kind::sas;
    a.sas_ = std::shared_ptr<const std::string>(new std::string(token), [](const std::string* s) {
        detail::secure_wipe(*const_cast<std::string*>(s));
        delete s;
    });
    return a;
}

AZMI_DECL std::string_view storage_auth::sas_signature() const noexcept {
    const std::string_view token = sas_token();
    for (std::size_t at = token.find("sig="); at != std::string_view::npos; at = token.find("sig=", at + 1)) {
        if (at != 0 && token[at - 1] != '&') continue;
        const std::string_view rest = token.substr(at + 4);
        return rest.substr(0, rest.find('&'));
    }
    return {};
}

AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `storage_auth`: how a `blob_reader` authorizes its requests. One small value with four
/// forms, so the same reader serves managed identity (bearer), Shared Key (Azurite, account
/// keys), SAS tokens and public containers.
///
/// Example:
///     auto mi = azmi::storage_auth::bearer(std::make_shared<azmi::system_assigned_credential>(http));
///     auto key = azmi::storage_auth::shared_key("devstoreaccount1", key_base64);
///     auto sas = azmi::storage_auth::sas("sv=2024-08-04&sr=c&sp=rl&sig=...");
///     auto pub = azmi::storage_auth::anonymous();

#include <azmi/detail/redact.hpp>  // redact_sas, scrub_secrets: what callers scrub messages with
#include <azmi/error.hpp>
#include <azmi/shared_key_credential.hpp>
#include <azmi/token_credential.hpp>
#include <azmi/version.hpp>

#include <memory>       // shared_ptr
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE

/// How requests are authorized. Cheap to copy (shares the credential).
class storage_auth {
public:
    /// The four ways in.
    enum class kind {
        anonymous,   ///< no credentials: public containers only
        bearer,      ///< `Authorization: Bearer <token>` from a `token_credential` (managed identity)
        shared_key,  ///< `Authorization: SharedKey <account>:<signature>` from an account key
        sas,         ///< a shared access signature appended to every URL's query
    };

    /// No credentials (public read access); the same as `anonymous()`.
    storage_auth() = default;

    /// No credentials (public read access).
    static storage_auth anonymous() { return storage_auth(); }

    /// Bearer tokens from `credential` for `scope` (default `storage_scope`). A token is fetched
    /// per request (credentials cache them) and, when the service rejects it, invalidated and
    /// fetched once more. Tokens are only ever sent over https, or http to a loopback host.
    static storage_auth bearer(std::shared_ptr<token_credential> credential,
                               std::string scope = std::string(storage_scope));

    /// Shared Key signing with `credential`; each request is signed after all its headers are set.
    static storage_auth shared_key(shared_key_credential credential);
    /// Shared Key signing with `account` and its base64 `key` (e.g. Azurite's well-known key).
    static result<storage_auth> try_shared_key(std::string_view account, std::string_view key_base64);
    /// Throwing twin of `try_shared_key`.
    static storage_auth shared_key(std::string_view account, std::string_view key_base64) {
        return try_shared_key(account, key_base64).value();
    }

    /// A SAS token ("sv=…&sig=…", a leading '?' is dropped), appended to every request's query;
    /// no `Authorization` header is sent. The token is kept out of every message.
    static result<storage_auth> try_sas(std::string_view token);
    /// Throwing twin of `try_sas`.
    static storage_auth sas(std::string_view token) { return try_sas(token).value(); }

    kind type() const noexcept { return kind_; }
    /// For `bearer`: the credential (may be null if constructed so; requests then fail).
    const std::shared_ptr<token_credential>& credential() const noexcept { return token_credential_; }
    /// For `bearer`: the scope tokens are requested for.
    const std::string& scope() const noexcept { return scope_; }
    /// For `shared_key`: the signer.
    const std::shared_ptr<const shared_key_credential>& key_credential() const noexcept { return shared_key_; }
    /// For `sas`: the token without '?'. Secret: never print it.
    const std::string& sas_token() const noexcept { return sas_ ? *sas_ : empty(); }
    /// For `sas`: the value of its `sig` parameter (as written in the token), to scrub from
    /// messages; empty otherwise.
    std::string_view sas_signature() const noexcept;

private:
    static const std::string& empty() noexcept {
        static const std::string e;
        return e;
    }

    kind kind_ = kind::anonymous;
    std::shared_ptr<token_credential> token_credential_;
    std::string scope_;
    std::shared_ptr<const shared_key_credential> shared_key_;
    std::shared_ptr<const std::string> sas_;
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/storage_auth.ipp>
#endif

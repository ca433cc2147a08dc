// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `shared_key_credential`: signs Blob requests with a storage account key (the `SharedKey`
/// scheme, REST-SPEC §3.1). Used for Azurite and for accounts reached by connection string;
/// managed identity (bearer tokens) is the main path.

#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/version.hpp>

#include <memory>       // shared_ptr
#include <string>       // string
#include <string_view>  // string_view
#include <type_traits>  // enable_if_t, is_same_v
#include <utility>      // move

AZMI_BEGIN_NAMESPACE

/// Signs requests with a storage account's shared key.
///
/// Example:
///     auto cred = azmi::shared_key_credential::create("devstoreaccount1", key_base64).value();
///     request.headers.set("x-ms-date", rfc1123_now);
///     request.headers.set("x-ms-version", "2021-12-02");
///     cred.sign(request).value();  // adds Authorization: SharedKey devstoreaccount1:…
///
/// Immutable once created and safe to use from many threads. Copies share one key buffer,
/// which is wiped when the last copy is destroyed. Neither the key nor a signature ever
/// appears in an error message.
class shared_key_credential {
public:
    /// Validates `account_name` (3–24 lowercase letters/digits, e.g. "devstoreaccount1") and
    /// decodes `account_key_base64` strictly. Errors: `errc::invalid_argument`.
    static result<shared_key_credential> create(std::string account_name, std::string_view account_key_base64);

    /// `create` for an account name held in a `std::string_view`. A template taking exactly
    /// `string_view`, so `create("literal", key)` still picks the `std::string` overload
    /// instead of being ambiguous.
    template <class StringView, std::enable_if_t<std::is_same_v<StringView, std::string_view>, int> = 0>
    static result<shared_key_credential> create(StringView account_name, std::string_view account_key_base64) {
        return create(std::string(account_name), account_key_base64);
    }

    /// The account the key belongs to; it is the `<account>` in `SharedKey <account>:<sig>`.
    const std::string& account_name() const noexcept { return account_; }

    /// The exact text that is signed for `request` (REST-SPEC §3.1), for diagnostics and tests:
    /// VERB, the eleven standard header slots, the canonicalized `x-ms-` headers and the
    /// canonicalized resource.
    ///
    /// Errors (`errc::invalid_argument`): an unparsable URL, a URL already carrying a SAS
    /// signature (`sig`), a malformed `%` escape in the query, or a signed header given twice.
    result<std::string> string_to_sign(const http_request& request) const;

    /// Sets `Authorization: SharedKey <account>:<base64 HMAC-SHA256 of string_to_sign>`.
    ///
    /// The request must carry `x-ms-date` (or `Date`): the service rejects requests older than
    /// 15 minutes, and an undated request could be replayed forever. Missing both is
    /// `errc::invalid_argument`, as are the `string_to_sign` errors. Sign last: any header
    /// or URL change afterwards invalidates the signature.
    result<void> sign(http_request& request) const;

private:
    shared_key_credential(std::string account, std::shared_ptr<const std::string> key)
        : account_(std::move(account)), key_(std::move(key)) {}

    std::string account_;
    std::shared_ptr<const std::string> key_;  ///< decoded key bytes; wiped by the deleter
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/shared_key_credential.ipp>
#endif

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `token_credential`: anything that can produce a bearer token for a scope. The managed
/// identity credentials (credential.hpp) implement it; `blob_reader` consumes it.

#include <azmi/access_token.hpp>
#include <azmi/error.hpp>
#include <azmi/version.hpp>

#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE

/// The scope storage tokens are requested for.
inline constexpr std::string_view storage_scope = "https://storage.azure.com/.default";

/// Produces bearer tokens. Implementations are thread-safe: share one per process.
class token_credential {
public:
    virtual ~token_credential() = default;

    /// A token valid for `scope` (e.g. `storage_scope`, or a bare resource like
    /// "https://storage.azure.com/"), or the reason there is none. Never throws for I/O or
    /// server errors.
    virtual result<access_token> try_get_token(std::string_view scope) = 0;

    /// Throwing twin of `try_get_token`: throws `azmi::exception`.
    access_token get_token(std::string_view scope) { return try_get_token(scope).value(); }

    /// Tells the credential that a service refused `rejected` (HTTP 401/403). The next
    /// `try_get_token(scope)` then fetches a new token, unless the cached one already differs
    /// from `rejected` (another thread refreshed it), so many threads refused at once cause
    /// one refresh. The default does nothing, for credentials that do not cache.
    virtual void invalidate(std::string_view scope, const access_token& rejected) {
        (void)scope;
        (void)rejected;
    }
};

AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Managed identity credentials for the Azure ML online endpoint (and App Service 2017)
/// protocol: `GET $MSI_ENDPOINT?api-version=2017-09-01&resource=…[&clientid=…]` with headers
/// `secret: $MSI_SECRET` and `Metadata: true` (REST-SPEC §4.2).
///
/// The identity kind is a template argument, so "system-assigned with a client id" cannot be
/// written: `system_assigned_credential` takes no id, `user_assigned_credential` requires one.
///
/// Example:
///     auto http = azmi::make_curl_transport();
///     azmi::system_assigned_credential credential{http};          // MSI_ENDPOINT, MSI_SECRET
///     azmi::access_token t = credential.get_token(azmi::storage_scope);

#include <azmi/access_token.hpp>
#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/retry.hpp>
#include <azmi/token_cache.hpp>
#include <azmi/token_credential.hpp>
#include <azmi/transport.hpp>
#include <azmi/url.hpp>
#include <azmi/version.hpp>

#include <chrono>       // durations
#include <memory>       // shared_ptr
#include <optional>     // optional
#include <string>       // string
#include <string_view>  // string_view
#include <type_traits>  // is_same_v
#include <utility>      // move

AZMI_BEGIN_NAMESPACE

/// Identity kind: the endpoint's system-assigned identity.
struct system_assigned {};

/// Identity kind: a user-assigned identity, selected by its client id.
struct user_assigned_client_id {
    explicit user_assigned_client_id(std::string id) : client_id(std::move(id)) {}
    std::string client_id;
};

/// Settings for managed identity credentials. Empty strings mean "from the environment".
struct managed_identity_options {
    /// Token endpoint URL; default `$MSI_ENDPOINT`.
    std::string endpoint;
    /// Value of the `secret` header; default `$MSI_SECRET`. Wiped from memory on destruction.
    std::string secret;
    /// For the system identity only: the client id Azure ML gives it. Default
    /// `$DEFAULT_IDENTITY_CLIENT_ID`; when set it is sent as `clientid`, as Azure ML expects.
    std::string system_client_id;
    /// Refuse endpoints that are not on a loopback, link-local or private address. Off by
    /// default; turn on where `MSI_ENDPOINT` could be set by someone else (SSRF defence).
    bool require_local_endpoint = false;

    /// Retries of one token fetch: connection failures, timeouts and HTTP 404, 408, 410, 429 and
    /// 5xx (identity endpoints answer 404/410 while they start or update, REST-SPEC §4.4), at
    /// most 3 retries from 0.5 s, within 30 s. `retry.sleep` lets tests record waits.
    retry_options retry = default_retry();

    /// Early refresh when the endpoint sends no `refresh_in`: tokens living 2 h or more refresh at
    /// half-life (as MSAL and the C++ SDK do); shorter ones this long before expiry, or at
    /// half-life if that comes first.
    std::chrono::seconds refresh_margin{300};

    /// Share one cache between credentials (tokens are keyed by identity and resource).
    std::shared_ptr<token_cache> cache;

    /// The `retry` default described above.
    static retry_options default_retry();
};

namespace detail {

/// The AAD v1 resource for a scope: "https://storage.azure.com/.default" and
/// "https://storage.azure.com/" both become "https://storage.azure.com", so every spelling of
/// one resource shares a cache entry. No allocation: this runs on the hot path.
inline std::string_view scope_to_resource(std::string_view scope) noexcept {
    constexpr std::string_view suffix = "/.default";
    if (scope.size() > suffix.size() && scope.substr(scope.size() - suffix.size()) == suffix)
        scope.remove_suffix(suffix.size());
    if (scope.size() > 1 && scope.back() == '/') scope.remove_suffix(1);
    return scope;
}

/// `given` when not empty, else the environment variable `name` (empty when unset).
std::string env_or(const std::string& given, const char* name);

/// Loopback, link-local (169.254/16, where IMDS lives) or RFC 1918 private IPv4, or localhost.
bool is_local_host(const url_parts& url);

/// What a managed identity credential does apart from caching, independent of its template
/// arguments: reads its configuration (and the environment), builds the token request, sends it
/// with retries, parses the answer and describes failures. Owns the secret and wipes it.
class managed_identity_client {
public:
    /// `user_client_id` is null for the system-assigned identity, else the user-assigned
    /// identity's client id. Unset options are read from the environment now.
    managed_identity_client(std::shared_ptr<transport> http, managed_identity_options options,
                            const std::string* user_client_id);
    ~managed_identity_client();

    managed_identity_client(const managed_identity_client&) = delete;
    managed_identity_client& operator=(const managed_identity_client&) = delete;

    /// One token fetch for `resource` with bounded retries; `clock` gives the request time the
    /// token's lifetime counts from. Runs without locks and changes nothing, so several
    /// resources may be fetched at once.
    result<access_token> fetch(std::string_view resource, token_clock_ref clock) const;

    /// The cache key part naming the identity ("system" or "client:<id>").
    const std::string& identity_key() const noexcept { return identity_key_; }
    const std::string& client_id() const noexcept { return client_id_; }
    const std::string& endpoint() const noexcept { return options_.endpoint; }
    /// `managed_identity_options::cache` as given.
    const std::shared_ptr<token_cache>& shared_cache() const noexcept { return options_.cache; }

private:
    std::optional<error> check_configuration(const std::string* user_client_id) const;
    http_request build_request(std::string_view resource) const;
    error describe_failure(const http_response& response) const;

    std::shared_ptr<transport> http_;
    managed_identity_options options_;
    retry_policy retry_;
    std::string client_id_;
    std::string identity_key_;
    std::optional<error> init_error_;
};

}  // namespace detail

/// A managed identity credential. `Identity` is `system_assigned` or `user_assigned_client_id`.
/// Thread-safe; create one per process and share it. Tokens are cached (token_cache.hpp).
template <class Identity, class Clock = coarse_clock>
class basic_managed_identity_credential final : public token_credential {
    static_assert(std::is_same_v<Identity, system_assigned> || std::is_same_v<Identity, user_assigned_client_id>,
                  "Identity must be azmi::system_assigned or azmi::user_assigned_client_id");

public:
    using cache_type = basic_token_cache<Clock>;

    /// Reads unset options from the environment now; a missing endpoint or secret is reported
    /// by `try_get_token` (errc::not_configured), so construction never fails.
    basic_managed_identity_credential(std::shared_ptr<transport> http, Identity identity = Identity{},
                                      managed_identity_options options = {}, Clock clock = Clock{})
        : client_(std::move(http), std::move(options), user_client_id(identity)) {
        if constexpr (std::is_same_v<Clock, coarse_clock>) {
            cache_ = client_.shared_cache() ? client_.shared_cache() : std::make_shared<cache_type>(std::move(clock));
        } else {
            cache_ = std::make_shared<cache_type>(std::move(clock));
        }
    }

    basic_managed_identity_credential(const basic_managed_identity_credential&) = delete;
    basic_managed_identity_credential& operator=(const basic_managed_identity_credential&) = delete;

    /// A token for `scope` from the cache, fetching one when needed. Never throws.
    result<access_token> try_get_token(std::string_view scope) override {
        const std::string_view resource = detail::scope_to_resource(scope);
        return cache_->get(client_.identity_key(), resource,
                           [this, resource] { return client_.fetch(resource, detail::token_clock_ref::of(cache_->clock())); });
    }

    void invalidate(std::string_view scope, const access_token& rejected) override {
        cache_->invalidate(client_.identity_key(), detail::scope_to_resource(scope), rejected);
    }

    /// The client id sent as `clientid` (empty for a system identity outside Azure ML).
    const std::string& client_id() const noexcept { return client_.client_id(); }
    /// The token endpoint in use (not secret).
    const std::string& endpoint() const noexcept { return client_.endpoint(); }

private:
    static const std::string* user_client_id(const Identity& identity) noexcept {
        if constexpr (std::is_same_v<Identity, user_assigned_client_id>) {
            return &identity.client_id;
        } else {
            (void)identity;
            return nullptr;
        }
    }

    detail::managed_identity_client client_;
    std::shared_ptr<cache_type> cache_;
};

/// The endpoint's system-assigned identity.
template <class Clock = coarse_clock>
using basic_system_assigned_credential = basic_managed_identity_credential<system_assigned, Clock>;
using system_assigned_credential = basic_managed_identity_credential<system_assigned>;

/// A user-assigned identity chosen by client id.
using user_assigned_credential = basic_managed_identity_credential<user_assigned_client_id>;

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/credential.ipp>
#endif

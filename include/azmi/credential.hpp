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
#include <azmi/detail/json.hpp>
#include <azmi/detail/redact.hpp>
#include <azmi/detail/secure_wipe.hpp>
#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/retry.hpp>
#include <azmi/token_cache.hpp>
#include <azmi/token_credential.hpp>
#include <azmi/transport.hpp>
#include <azmi/url.hpp>
#include <azmi/version.hpp>

#include <algorithm>    // min, max
#include <chrono>       // durations
#include <cstdint>      // int64_t
#include <optional>     // optional
#include <type_traits>  // is_same_v
#include <cstdlib>      // getenv
#include <memory>       // shared_ptr
#include <string>       // string
#include <string_view>  // string_view
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

    static retry_options default_retry() {
        retry_options r;
        r.max_retries = 3;
        r.initial_delay = std::chrono::milliseconds(500);
        r.max_delay = std::chrono::milliseconds(8000);
        r.max_total_time = std::chrono::milliseconds(30000);
        r.retry_statuses = {404, 408, 410, 429, 500, 502, 503, 504};
        return r;
    }
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

inline std::string env_or(const std::string& given, const char* name) {
    if (!given.empty()) return given;
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

/// Loopback, link-local (169.254/16, where IMDS lives) or RFC 1918 private IPv4, or localhost.
inline bool is_local_host(const url_parts& url) {
    if (url.is_loopback()) return true;
    const std::string& h = url.host;
    if (h.find_first_not_of("0123456789.") != std::string::npos) return false;
    if (h.rfind("10.", 0) == 0 || h.rfind("192.168.", 0) == 0 || h.rfind("169.254.", 0) == 0) return true;
    if (h.rfind("172.", 0) == 0) {
        const int second = std::atoi(h.c_str() + 4);
        return second >= 16 && second <= 31;
    }
    return false;
}

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
        : http_(std::move(http)), identity_(std::move(identity)), options_(std::move(options)) {
        options_.endpoint = detail::env_or(options_.endpoint, "MSI_ENDPOINT");
        options_.secret = detail::env_or(options_.secret, "MSI_SECRET");
        if constexpr (std::is_same_v<Identity, system_assigned>) {
            options_.system_client_id = detail::env_or(options_.system_client_id, "DEFAULT_IDENTITY_CLIENT_ID");
            client_id_ = options_.system_client_id;
            identity_key_ = "system";
        } else {
            client_id_ = identity_.client_id;
            identity_key_ = "client:" + identity_.client_id;
        }
        init_error_ = check_configuration();
        retry_ = retry_policy(options_.retry);
        if constexpr (std::is_same_v<Clock, coarse_clock>) {
            cache_ = options_.cache ? options_.cache : std::make_shared<cache_type>(std::move(clock));
        } else {
            cache_ = std::make_shared<cache_type>(std::move(clock));
        }
    }

    ~basic_managed_identity_credential() override { detail::secure_wipe(options_.secret); }

    basic_managed_identity_credential(const basic_managed_identity_credential&) = delete;
    basic_managed_identity_credential& operator=(const basic_managed_identity_credential&) = delete;

    /// A token for `scope` from the cache, fetching one when needed. Never throws.
    result<access_token> try_get_token(std::string_view scope) override {
        const std::string_view resource = detail::scope_to_resource(scope);
        return cache_->get(identity_key_, resource, [this, resource] { return fetch(resource); });
    }

    void invalidate(std::string_view scope, const access_token& rejected) override {
        cache_->invalidate(identity_key_, detail::scope_to_resource(scope), rejected);
    }

    /// The client id sent as `clientid` (empty for a system identity outside Azure ML).
    const std::string& client_id() const noexcept { return client_id_; }
    /// The token endpoint in use (not secret).
    const std::string& endpoint() const noexcept { return options_.endpoint; }

private:
    std::optional<error> check_configuration() const {
        if (options_.endpoint.empty() || options_.secret.empty()) {
            std::string missing = options_.endpoint.empty() ? "MSI_ENDPOINT" : "";
            if (options_.secret.empty()) missing += missing.empty() ? "MSI_SECRET" : " and MSI_SECRET";
            return error(errc::not_configured,
                         "managed identity endpoint not configured: " + missing +
                             " not set (an Azure ML online endpoint sets MSI_ENDPOINT and MSI_SECRET; elsewhere pass "
                             "managed_identity_options::endpoint and ::secret)");
        }
        auto parsed = parse_url(options_.endpoint);
        if (!parsed) return error(errc::not_configured, "MSI_ENDPOINT is not a usable URL: " + parsed.error().message);
        if (options_.require_local_endpoint && !detail::is_local_host(*parsed))
            return error(errc::not_configured, "MSI_ENDPOINT host " + parsed->host +
                                                   " is not loopback, link-local or private, and "
                                                   "require_local_endpoint is set");
        if constexpr (std::is_same_v<Identity, user_assigned_client_id>) {
            if (identity_.client_id.empty())
                return error(errc::invalid_argument, "user-assigned identity needs a non-empty client id");
        }
        return std::nullopt;
    }

    http_request build_request(std::string_view resource) const {
        http_request request;
        request.method = http_method::get;
        request.url = options_.endpoint;
        append_query(request.url, "api-version", "2017-09-01");
        append_query(request.url, "resource", resource);
        if (!client_id_.empty()) append_query(request.url, "clientid", client_id_);
        request.headers.set("secret", options_.secret);
        request.headers.set("Metadata", "true");
        request.headers.set("Accept", "application/json");
        request.headers.set("User-Agent", std::string("azmi/") + version_string);
        request.bypass_proxy = true;  // the secret goes to the endpoint and nowhere else
        return request;
    }

    /// One token fetch with bounded retries. Runs without locks; several resources may be
    /// fetched concurrently, so everything here is local.
    result<access_token> fetch(std::string_view resource) const {
        if (init_error_) return *init_error_;
        if (resource.empty() || resource.find_first_of(" \t\r\n") != std::string_view::npos)
            return error(errc::invalid_argument, "token scope must be a non-empty resource URI without whitespace");
        const http_request request = build_request(resource);
        const retry_policy& policy = retry_;
        const auto started = policy.options().now();
        for (int attempt = 0;; ++attempt) {
            const auto request_time = cache_->clock().now();
            auto sent = http_->send(request);
            if (sent && sent->status == 200) {
                auto parsed = detail::parse_token_response(sent->body, request_time);
                if (parsed) return make_token(std::move(*parsed), request_time);
                error malformed = std::move(parsed).error();
                malformed.status = 200;
                return malformed;  // a well-delivered but wrong answer will not improve by asking again
            }
            error failure = sent ? describe_failure(*sent) : std::move(sent).error();
            if (!sent) failure.message = "managed identity endpoint: " + failure.message;  // say which server
            const bool retriable = sent ? policy.retriable_status(sent->status) : retry_policy::retriable_failure(failure);
            if (!retriable ||
                !policy.wait_before_retry(attempt, started, policy.delay_for(attempt, sent ? &sent->headers : nullptr))) {
                if (attempt > 0) failure.message += " (after " + std::to_string(attempt + 1) + " attempts)";
                return failure;
            }
        }
    }

    /// The error for a non-200 answer: status, the endpoint's own error code and text (with our
    /// secret scrubbed out, in case the endpoint echoes it), request id and Retry-After.
    error describe_failure(const http_response& response) const {
        const bool refused = response.status == 401 || response.status == 403;
        error e(refused ? errc::authentication : errc::http_status, "", response.status);
        std::string what = (response.status >= 300 && response.status < 400)
                               ? "identity endpoint answered with a redirect, which azmi does not follow"
                               : "identity endpoint answered HTTP " + std::to_string(response.status);
        if (auto body = detail::parse_endpoint_error(response.body)) {
            e.error_code = detail::scrub_secrets(body->code.substr(0, 100), {options_.secret});
            if (!body->description.empty()) what += ": " + detail::scrub_secrets(body->description.substr(0, 300), {options_.secret});
        }
        if (refused) what += " (check MSI_SECRET and that the identity exists)";
        e.message = std::move(what);
        if (auto wait = retry_policy::server_delay(response.headers)) e.retry_after = *wait;
        if (auto id = response.headers.get("x-ms-request-id")) e.request_id = std::string(*id);
        return e;
    }

    /// Decides when the cache should start refreshing: `refresh_in` when the endpoint sent it;
    /// half-life for tokens living 2 h or more; otherwise `refresh_margin` before expiry, or
    /// half-life for tokens too short for that margin.
    access_token make_token(detail::token_response parsed, access_token::time_point request_time) const {
        const auto lifetime = parsed.expires_on - request_time;
        access_token::time_point refresh_at;
        if (parsed.refresh_at) {
            refresh_at = *parsed.refresh_at;
        } else if (lifetime >= std::chrono::hours(2)) {
            refresh_at = request_time + lifetime / 2;
        } else {
            refresh_at = std::max(parsed.expires_on - options_.refresh_margin, request_time + lifetime / 2);
        }
        refresh_at = std::min(refresh_at, parsed.expires_on);
        access_token token(parsed.access_token, parsed.expires_on, refresh_at);
        detail::secure_wipe(parsed.access_token);
        return token;
    }

    std::shared_ptr<transport> http_;
    Identity identity_;
    managed_identity_options options_;
    retry_policy retry_;
    std::string client_id_;
    std::string identity_key_;
    std::optional<error> init_error_;
    std::shared_ptr<cache_type> cache_;
};

/// The endpoint's system-assigned identity.
template <class Clock = coarse_clock>
using basic_system_assigned_credential = basic_managed_identity_credential<system_assigned, Clock>;
using system_assigned_credential = basic_managed_identity_credential<system_assigned>;

/// A user-assigned identity chosen by client id.
using user_assigned_credential = basic_managed_identity_credential<user_assigned_client_id>;

AZMI_END_NAMESPACE

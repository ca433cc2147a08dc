// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of credential.hpp: configuration, the token request and its retries,
/// response parsing and error mapping (`detail::managed_identity_client`).

#include <azmi/credential.hpp>

#include <azmi/detail/json.hpp>         // parse_token_response, parse_endpoint_error
#include <azmi/detail/redact.hpp>       // scrub_secrets
#include <azmi/detail/secure_wipe.hpp>  // secure_wipe

#include <algorithm>    // min, max
#include <chrono>       // durations
#include <cstdlib>      // getenv, atoi
#include <memory>       // shared_ptr
#include <optional>     // optional, nullopt
#include <string>       // string, to_string
#include <string_view>  // string_view
#include <utility>      // move

AZMI_BEGIN_NAMESPACE

AZMI_DECL retry_options managed_identity_options::default_retry() {
    retry_options r;
    r.max_retries = 3;
    r.initial_delay = std::chrono::milliseconds(500);
    r.max_delay = std::chrono::milliseconds(8000);
    r.max_total_time = std::chrono::milliseconds(30000);
    r.retry_statuses = {404, 408, 410, 429, 500, 502, 503, 504};
    return r;
}

namespace detail {

AZMI_DECL std::string env_or(const std::string& given, const char* name) {
    if (!given.empty()) return given;
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

AZMI_DECL bool is_local_host(const url_parts& url) {
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

/// Decides when the cache should start refreshing: `refresh_in` when the endpoint sent it;
/// half-life for tokens living 2 h or more; otherwise `refresh_margin` before expiry, or
/// half-life for tokens too short for that margin.
AZMI_DECL access_token make_managed_identity_token(token_response parsed, access_token::time_point request_time,
                                                   std::chrono::seconds refresh_margin) {
    const auto lifetime = parsed.expires_on - request_time;
    access_token::time_point refresh_at;
    if (parsed.refresh_at) {
        refresh_at = *parsed.refresh_at;
    } else if (lifetime >= std::chrono::hours(2)) {
        refresh_at = request_time + lifetime / 2;
    } else {
        refresh_at = std::max(parsed.expires_on - refresh_margin, request_time + lifetime / 2);
    }
    refresh_at = std::min(refresh_at, parsed.expires_on);
    access_token token(parsed.access_token, parsed.expires_on, refresh_at);
    secure_wipe(parsed.access_token);
    return token;
}

AZMI_DECL managed_identity_client::managed_identity_client(std::shared_ptr<transport> http,
                                                           managed_identity_options options,
                                                           const std::string* user_client_id)
    : http_(std::move(http)), options_(std::move(options)) {
    options_.endpoint = env_or(options_.endpoint, "MSI_ENDPOINT");
    options_.secret = env_or(options_.secret, "MSI_SECRET");
    if (user_client_id == nullptr) {
        options_.system_client_id = env_or(options_.system_client_id, "DEFAULT_IDENTITY_CLIENT_ID");
        client_id_ = options_.system_client_id;
        identity_key_ = "system";
    } else {
        client_id_ = *user_client_id;
        identity_key_ = "client:" + *user_client_id;
    }
    init_error_ = check_configuration(user_client_id);
    retry_ = retry_policy(options_.retry);
}

AZMI_DECL managed_identity_client::~managed_identity_client() { secure_wipe(options_.secret); }

AZMI_DECL std::optional<error> managed_identity_client::check_configuration(const std::string* user_client_id) const {
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
    if (options_.require_local_endpoint && !is_local_host(*parsed))
        return error(errc::not_configured, "MSI_ENDPOINT host " + parsed->host +
                                               " is not loopback, link-local or private, and "
                                               "require_local_endpoint is set");
    if (user_client_id != nullptr && user_client_id->empty())
        return error(errc::invalid_argument, "user-assigned identity needs a non-empty client id");
    return std::nullopt;
}

AZMI_DECL http_request managed_identity_client::build_request(std::string_view resource) const {
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

AZMI_DECL result<access_token> managed_identity_client::fetch(std::string_view resource, token_clock_ref clock) const {
    if (init_error_) return *init_error_;
    if (resource.empty() || resource.find_first_of(" \t\r\n") != std::string_view::npos)
        return error(errc::invalid_argument, "token scope must be a non-empty resource URI without whitespace");
    const http_request request = build_request(resource);
    const retry_policy& policy = retry_;
    const auto started = policy.options().now();
    for (int attempt = 0;; ++attempt) {
        const auto request_time = clock.now();
        auto sent = http_->send(request);
        if (sent && sent->status == 200) {
            auto parsed = parse_token_response(sent->body, request_time);
            if (parsed) return make_managed_identity_token(std::move(*parsed), request_time, options_.refresh_margin);
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
AZMI_DECL error managed_identity_client::describe_failure(const http_response& response) const {
    const bool refused = response.status == 401 || response.status == 403;
    error e(refused ? errc::authentication : errc::http_status, "", response.status);
    std::string what = (response.status >= 300 && response.status < 400)
                           ? "identity endpoint answered with a redirect, which azmi does not follow"
                           : "identity endpoint answered HTTP " + std::to_string(response.status);
    if (auto body = parse_endpoint_error(response.body)) {
        e.error_code = scrub_secrets(body->code.substr(0, 100), {options_.secret});
        if (!body->description.empty())
            what += ": " + scrub_secrets(body->description.substr(0, 300), {options_.secret});
    }
    if (refused) what += " (check MSI_SECRET and that the identity exists)";
    e.message = std::move(what);
    if (auto wait = retry_policy::server_delay(response.headers)) e.retry_after = *wait;
    if (auto id = response.headers.get("x-ms-request-id")) e.request_id = std::string(*id);
    return e;
}

}  // namespace detail
AZMI_END_NAMESPACE

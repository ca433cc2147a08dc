// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The storage request pipeline behind `blob_reader`: stamps the common headers, authorizes,
/// sends, retries, refreshes a rejected token once, and turns error responses into
/// `azmi::error`s. Every storage request passes through `storage_pipeline::send`, so the
/// security checks (URL stays on the endpoint, no bearer token over plain http) live in one
/// place.

#include <azmi/blob_endpoint.hpp>
#include <azmi/blob_types.hpp>
#include <azmi/detail/http_date.hpp>
#include <azmi/detail/redact.hpp>
#include <azmi/detail/secure_wipe.hpp>
#include <azmi/detail/uuid.hpp>
#include <azmi/detail/xml.hpp>
#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/retry.hpp>
#include <azmi/storage_auth.hpp>
#include <azmi/transport.hpp>
#include <azmi/version.hpp>

#include <chrono>            // system_clock, milliseconds
#include <cstdint>           // uint64_t
#include <initializer_list>  // initializer_list
#include <memory>            // shared_ptr
#include <optional>          // optional
#include <string>            // string
#include <string_view>       // string_view
#include <utility>           // move

AZMI_BEGIN_NAMESPACE
namespace detail {

/// One storage operation to send: method, URL (built by `blob_endpoint`, possibly with the
/// operation's own query), the operation's headers, and a description for messages.
struct storage_request {
    http_method method = http_method::get;
    std::string url;
    header_map headers;
    /// What is being done, for error messages, e.g. "GET blob 'data/model.bin'". Never a URL.
    std::string what;
};

/// The most precise `errc` for an error response with `status` and Azure error `code`.
inline errc storage_errc(int status, std::string_view code) noexcept {
    if (status >= 300 && status < 400) return errc::http_status;
    if (code == "BlobNotFound") return errc::blob_not_found;
    if (code == "ContainerNotFound") return errc::container_not_found;
    if (status == 412 || code == "ConditionNotMet") return errc::condition_not_met;
    if (status == 416 || code == "InvalidRange") return errc::invalid_range;
    if (status == 401 || code == "AuthenticationFailed" || code == "InvalidAuthenticationInfo" ||
        code == "NoAuthenticationInformation")
        return errc::authentication;
    // AuthorizationPermissionMismatch (RBAC), AuthorizationFailure (Azurite without a token;
    // Azure network rules), AuthorizationSourceIPMismatch, … and a bare 403.
    if (status == 403) return errc::authorization;
    return errc::http_status;
}

/// True when the service refused the bearer token itself (expired, revoked, wrong audience):
/// 401, 403 AuthenticationFailed / InvalidAuthenticationInfo, or 400 InvalidAuthenticationInfo.
/// Worth one refresh. A permission problem (AuthorizationPermissionMismatch) is not.
inline bool is_token_rejection(int status, std::string_view code) noexcept {
    if (status == 401) return true;
    if (status == 403) return code == "AuthenticationFailed" || code == "InvalidAuthenticationInfo";
    if (status == 400) return code == "InvalidAuthenticationInfo";
    return false;
}

inline std::string_view first_line(std::string_view s) {
    const auto end = s.find_first_of("\r\n");
    s = s.substr(0, end);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// The `azmi::error` for a non-2xx `response` to `what`: code from `x-ms-error-code` (the only
/// source on HEAD) else the XML `<Code>`, message from the XML `<Message>` first line plus
/// `<AuthenticationErrorDetail>`, request id from `x-ms-request-id`, and the server's
/// requested retry delay.
inline error storage_error_from_response(const http_response& response, std::string_view what) {
    error e;
    e.status = response.status;
    e.error_code = std::string(response.headers.value_or("x-ms-error-code", ""));
    e.request_id = std::string(response.headers.value_or("x-ms-request-id", ""));
    std::optional<storage_error_body> body;
    if (!response.body.empty()) body = parse_storage_error(response.body);
    if (e.error_code.empty() && body) e.error_code = body->code;
    e.code = storage_errc(response.status, e.error_code);

    std::string message(what);
    message += ": ";
    if (response.status >= 300 && response.status < 400) {
        message += "the service answered HTTP " + std::to_string(response.status) +
                   " (a redirect); redirects are not followed, so credentials never go to another URL";
    } else if (body && !body->message.empty()) {
        message += std::string(first_line(body->message));
        if (!body->authentication_detail.empty())
            message += " (" + std::string(first_line(body->authentication_detail)) + ")";
    } else {
        message += "HTTP " + std::to_string(response.status);
        if (!e.error_code.empty()) message += " " + e.error_code;
    }
    e.message = std::move(message);
    if (auto delay = retry_policy::server_delay(response.headers)) e.retry_after = *delay;
    return e;
}

/// A decimal header value as an unsigned 64-bit number; nullopt when empty, not a number or
/// too large.
inline std::optional<std::uint64_t> parse_u64(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

/// A parsed `Content-Range: bytes <first>-<last>/<total>` (or `bytes */<total>`).
struct content_range {
    std::optional<std::uint64_t> first;
    std::optional<std::uint64_t> last;
    std::optional<std::uint64_t> total;  ///< nullopt for "/*"
};

/// Parses a Content-Range value; nullopt when it is not a bytes range. Tolerates Azurite's
/// "bytes 0--1/0"-style answers for empty ranges by leaving `last` unset.
inline std::optional<content_range> parse_content_range(std::string_view v) {
    if (v.substr(0, 6) != "bytes ") return std::nullopt;
    v.remove_prefix(6);
    const auto slash = v.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    content_range out;
    const std::string_view range = v.substr(0, slash);
    const std::string_view total = v.substr(slash + 1);
    if (total != "*") {
        out.total = parse_u64(total);
        if (!out.total) return std::nullopt;
    }
    if (range != "*") {
        const auto dash = range.find('-');
        if (dash == std::string_view::npos) return std::nullopt;
        out.first = parse_u64(range.substr(0, dash));
        if (!out.first) return std::nullopt;
        out.last = parse_u64(range.substr(dash + 1));
    }
    return out;
}

/// Blob properties from Get Blob / Get Blob Properties response headers. `size` is the
/// `Content-Length`; callers of ranged GETs overwrite it with the Content-Range total.
inline blob_properties properties_from_headers(const header_map& headers) {
    blob_properties p;
    p.size = parse_u64(headers.value_or("Content-Length", "")).value_or(0);
    p.etag = std::string(headers.value_or("ETag", ""));
    p.last_modified = std::string(headers.value_or("Last-Modified", ""));
    p.content_type = std::string(headers.value_or("Content-Type", ""));
    p.content_md5 = std::string(headers.value_or("Content-MD5", ""));
    p.content_encoding = std::string(headers.value_or("Content-Encoding", ""));
    p.blob_type = std::string(headers.value_or("x-ms-blob-type", ""));
    constexpr std::string_view meta = "x-ms-meta-";
    for (const auto& field : headers) {
        if (field.first.size() > meta.size() && iequals(std::string_view(field.first).substr(0, meta.size()), meta))
            p.metadata[field.first.substr(meta.size())] = field.second;
    }
    return p;
}

/// Counts the bytes handed to an inner sink, so the pipeline knows whether a failed transfer
/// already delivered data (and must not simply be repeated).
class counting_sink final : public body_sink {
public:
    explicit counting_sink(body_sink* inner) noexcept : inner_(inner) {}
    bool write(std::string_view chunk) override {
        count_ += chunk.size();
        return inner_->write(chunk);
    }
    std::uint64_t count() const noexcept { return count_; }

private:
    body_sink* inner_;
    std::uint64_t count_ = 0;
};

/// Overwrites the value of header `name` in place before the request is destroyed, so the
/// token or signature does not linger in freed heap memory.
inline void wipe_header(header_map& headers, std::string_view name) noexcept {
    for (const auto& field : headers) {
        // The fields are owned, non-const strings; header_map only hands out const views.
        if (iequals(field.first, name)) secure_wipe(const_cast<std::string&>(field.second));
    }
}

/// Wipes a string holding a secret when the scope ends, whichever way it ends.
struct wipe_on_exit {
    std::string& secret;
    ~wipe_on_exit() { secure_wipe(secret); }
};

/// Sends storage requests for one endpoint and credential. Immutable after construction, so
/// one pipeline serves any number of threads.
class storage_pipeline {
public:
    storage_pipeline(blob_endpoint endpoint, storage_auth auth, std::shared_ptr<transport> transport,
                     std::string api_version, retry_options retry, std::string user_agent)
        : endpoint_(std::move(endpoint)),
          auth_(std::move(auth)),
          transport_(std::move(transport)),
          api_version_(std::move(api_version)),
          retry_(std::move(retry)),
          user_agent_(std::move(user_agent)) {}

    const blob_endpoint& endpoint() const noexcept { return endpoint_; }
    const storage_auth& auth() const noexcept { return auth_; }
    const retry_policy& retry() const noexcept { return retry_; }

    /// Sends `spec` and returns the 2xx response, or the error. With a `sink`, a 2xx body is
    /// streamed into it and `*delivered` tells how many bytes reached it (also on failure: a
    /// transfer cut after delivering bytes is returned, not retried, so the caller can resume).
    ///
    /// Every attempt gets a fresh `x-ms-date` (and Shared Key signature); all attempts of one
    /// call share one `x-ms-client-request-id`, as the Azure SDKs do, so the server logs show
    /// them as retries of one operation.
    result<http_response> send(const storage_request& spec, body_sink* sink = nullptr,
                               std::uint64_t* delivered = nullptr) const {
        if (delivered != nullptr) *delivered = 0;
        const auto query_at = spec.url.find('?');
        if (auto ok = endpoint_.verify(std::string_view(spec.url).substr(0, query_at)); !ok) return ok.error();
        if (!transport_) return error(errc::invalid_argument, spec.what + ": blob_reader was given no transport");
        const auto kind = auth_.type();
        if (kind == storage_auth::kind::bearer) {
            if (!auth_.credential())
                return error(errc::invalid_argument, spec.what + ": storage_auth::bearer was given no token_credential");
            if (!endpoint_.is_https() && !endpoint_.is_loopback())
                return error(errc::invalid_argument,
                             spec.what + ": refusing to send a bearer token over plain http to " +
                                 endpoint_.parts().host + "; use https (http is allowed only for loopback hosts)");
        }
        std::string url = spec.url;
        if (kind == storage_auth::kind::sas) {
            url += query_at == std::string::npos ? '?' : '&';
            url += auth_.sas_token();
        }

        const std::string client_request_id = make_uuid_v4();
        const auto start = retry_.options().now();
        int retries = 0;
        bool refreshed = false;
        for (;;) {
            http_request request;
            request.method = spec.method;
            request.url = url;
            request.headers = spec.headers;
            request.headers.set("x-ms-version", api_version_);
            request.headers.set("x-ms-date", format_http_date(std::chrono::system_clock::now()));
            request.headers.set("x-ms-client-request-id", client_request_id);
            request.headers.set("User-Agent", user_agent_);

            access_token token;
            if (kind == storage_auth::kind::bearer) {
                auto t = auth_.credential()->try_get_token(auth_.scope());
                if (!t) {
                    error e = std::move(t).error();
                    e.message = spec.what + ": could not get a storage token: " + e.message;
                    return e;
                }
                token = std::move(*t);
                request.headers.set("Authorization", "Bearer " + token.token());
            } else if (kind == storage_auth::kind::shared_key) {
                if (!auth_.key_credential())
                    return error(errc::invalid_argument, spec.what + ": storage_auth::shared_key was given no credential");
                auto signed_ok = auth_.key_credential()->sign(request);
                if (!signed_ok) {
                    error e = std::move(signed_ok).error();
                    e.message = spec.what + ": could not sign the request: " + e.message;
                    return e;
                }
            }
            std::string authorization(request.headers.value_or("Authorization", ""));
            const wipe_on_exit wipe_authorization{authorization};

            counting_sink counter(sink);
            auto sent = sink != nullptr ? transport_->send(request, counter) : transport_->send(request);
            wipe_header(request.headers, "Authorization");
            auto scrub = [&](std::string text) {
                return scrub_secrets(std::move(text), {authorization, token.token(), auth_.sas_token(), auth_.sas_signature()});
            };

            if (!sent) {
                error e = std::move(sent).error();
                e.client_request_id = client_request_id;
                e.message = scrub(spec.what + ": " + e.message);
                const std::uint64_t got = counter.count();
                if (delivered != nullptr) *delivered = got;
                if (got == 0 && retry_policy::retriable_failure(e)) {
                    if (retry_.wait_before_retry(retries, start, retry_.delay_for(retries, nullptr))) {
                        ++retries;
                        continue;
                    }
                    if (retries > 0) e.message += " (gave up after " + std::to_string(retries) + " retries)";
                }
                return e;
            }
            if (delivered != nullptr) *delivered = counter.count();
            http_response response = std::move(*sent);
            if (response.ok()) {
                return response;
            }

            error e = storage_error_from_response(response, spec.what);
            e.client_request_id = client_request_id;
            e.message = scrub(std::move(e.message));
            if (kind == storage_auth::kind::bearer && is_token_rejection(response.status, e.error_code)) {
                e.code = errc::authentication;
                if (!refreshed) {
                    refreshed = true;
                    auth_.credential()->invalidate(auth_.scope(), token);
                    continue;
                }
                e.message += " (the token was refreshed once and rejected again)";
                return e;
            }
            if (retry_.retriable_status(response.status)) {
                if (retry_.wait_before_retry(retries, start, retry_.delay_for(retries, &response.headers))) {
                    ++retries;
                    continue;
                }
                if (retries > 0) e.message += " (gave up after " + std::to_string(retries) + " retries)";
            }
            return e;
        }
    }

private:
    blob_endpoint endpoint_;
    storage_auth auth_;
    std::shared_ptr<transport> transport_;
    std::string api_version_;
    retry_policy retry_;
    std::string user_agent_;
};

}  // namespace detail
AZMI_END_NAMESPACE

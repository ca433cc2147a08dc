// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `curl_transport`: the libcurl `transport`.
///
/// One `curl_transport` is meant to be shared (`std::shared_ptr`) by every credential, reader and
/// thread of a process: it keeps a pool of libcurl easy handles, each holding one keep-alive
/// connection, plus a share handle for the DNS and TLS session caches.
///
/// The libcurl state sits behind a pointer to a type defined in impl/transport/curl.ipp, the only
/// azmi file that includes <curl/curl.h>: with separate compilation, users of this header never
/// parse libcurl's headers.
///
/// Example:
///     auto http = azmi::make_curl_transport({});
///     azmi::http_request req;
///     req.url = "https://myaccount.blob.core.windows.net/c/b";
///     auto res = http->send(req);  // result<http_response>; a 404 is a value, not an error
///
/// Requires libcurl 7.58.0 or newer.

#include <azmi/detail/redact.hpp>  // scrub_secrets: light, and part of what this header always offered
#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/transport.hpp>
#include <azmi/url.hpp>
#include <azmi/version.hpp>

#include <chrono>       // milliseconds, seconds
#include <cstddef>      // size_t
#include <memory>       // unique_ptr, shared_ptr
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE

/// Settings of a `curl_transport`; fixed for its lifetime.
struct curl_transport_options {
    /// Longest time to open a connection, TLS handshake included. 0 = libcurl's default (300 s).
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
    /// Longest time for one whole request, body included. 0 = no limit: a multi-GB blob takes as long
    /// as it takes, and the low-speed abort below is what catches a dead server.
    std::chrono::milliseconds total_timeout{0};
    /// A transfer that moves fewer than `low_speed_limit` bytes/s for `low_speed_time` fails with
    /// `errc::timeout`, so a stalled server (or one that never answers) cannot hang a caller forever.
    /// Either set to 0 disables the check.
    std::size_t low_speed_limit = 1;
    std::chrono::seconds low_speed_time{60};
    /// PEM bundle of trusted CAs, replacing libcurl's default bundle file (e.g. a test CA). Empty: default.
    std::string ca_file;
    /// Directory of hashed CA certificates, replacing libcurl's default directory. Empty: default.
    std::string ca_path;
    /// Idle keep-alive connections kept for reuse (one per pooled easy handle; a request prefers a
    /// handle whose connection already goes to its host). More requests than this may run at once;
    /// their extra connections are closed afterwards. 0 disables reuse.
    std::size_t max_connections = 16;
    /// Non-2xx bodies (error documents) are kept up to this many bytes; the transfer stops there.
    std::size_t error_body_limit = 1024 * 1024;
    /// `User-Agent` sent unless the request sets its own. Empty: "azmi/<version>".
    std::string user_agent;
};

namespace detail {

/// A request URL, parsed by `azmi::parse_url` so the transport refuses exactly the URLs the
/// rest of azmi refuses (no userinfo, no fragment, no control characters, a valid host and port).
result<url_parts> parse_request_url(std::string_view url);

/// "scheme://host:port", always with the port: what messages name and what the pool keys on.
/// Never the path or query (a SAS `sig` lives in the query).
std::string origin_with_port(const url_parts& url);

}  // namespace detail

/// The libcurl `transport`: keep-alive connection pool, TLS always verified, no redirects, no proxy
/// for `bypass_proxy` requests, typed errors that never contain header values or URL queries.
///
/// Errors: `invalid_argument` for a request refused before any I/O (not http(s), userinfo in the URL,
/// CR/LF in a header, a GET/HEAD body); `timeout` (connect, total, low-speed); `truncated` (body
/// shorter than Content-Length, early close or reset mid-body; the prefix went to the sink);
/// `cancelled` (the sink returned false); `transport` for everything else (DNS, connect, TLS, send,
/// receive). Messages carry libcurl's text and "METHOD scheme://host:port", never path, query or
/// header values.
///
/// Thread-safety: `send` may be called from any number of threads at once; each call borrows its own
/// easy handle from the pool. Construct it once and share it (`make_curl_transport`).
/// Exceptions: none of its own; an exception thrown by a `body_sink` stops the transfer and is
/// rethrown from `send` (it never crosses libcurl's C frames).
/// Signals: CURLOPT_NOSIGNAL is set (mandatory with threads), so libcurl does not ignore SIGPIPE
/// for you; on old libcurl builds a TLS write to a closed peer can raise it, so services should
/// `signal(SIGPIPE, SIG_IGN)` at start-up.
class curl_transport final : public transport {
public:
    explicit curl_transport(curl_transport_options opts = {});
    // The virtual members are declared AZMI_DECL: header-only, an inline declaration keeps them from
    // being the class's key function, so its vtable (and with it all of the libcurl code) is only
    // emitted by TUs that construct a curl_transport; separate, the vtable lives in the library.
    AZMI_DECL ~curl_transport() override;
    curl_transport(const curl_transport&) = delete;
    curl_transport& operator=(const curl_transport&) = delete;

    const curl_transport_options& options() const noexcept { return options_; }

    /// Easy handles idle in the pool right now (each may hold a keep-alive connection).
    std::size_t idle_connections() const;

protected:
    AZMI_DECL result<http_response> do_send(const http_request& request, body_sink* sink) override;

private:
    /// libcurl's global-init result, share handle and easy-handle pool (impl/transport/curl.ipp).
    class state;

    curl_transport_options options_;
    // Declared after options_, which it reads: destroyed first.
    std::unique_ptr<state> state_;
};

/// A new `curl_transport` to share between credentials and readers.
std::shared_ptr<curl_transport> make_curl_transport(curl_transport_options options = {});

/// The process-wide `curl_transport` with default options, created on first call (thread-safe).
/// Every call returns the same instance, so unrelated code shares one connection pool. It lives
/// until the last `shared_ptr` to it is gone, at the latest during static destruction.
std::shared_ptr<curl_transport> default_curl_transport();

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/transport/curl.ipp>
#endif

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The pluggable HTTP transport: how `http_request`s become `http_response`s.
///
/// Credentials and readers take a `std::shared_ptr<transport>` from the caller, so one
/// transport (and its connection pool) serves every object and thread in the process.
/// Implementations: `curl_transport` (transport/curl.hpp) and `testing::mock_transport`.

#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/version.hpp>

#include <string_view>  // string_view
#include <type_traits>  // is_base_of_v

AZMI_BEGIN_NAMESPACE

/// Receives a response body piece by piece, so a multi-GB blob is never held in memory.
class body_sink {
public:
    virtual ~body_sink() = default;
    /// Called with each piece of a 2xx body, in order. Return false to stop the transfer; the
    /// send then fails with `errc::cancelled`.
    virtual bool write(std::string_view chunk) = 0;
};

/// Sends HTTP requests. Thread-safe: `send` may be called from many threads at once.
///
/// Contract for implementations (what `mock_transport` and `curl_transport` both honour):
///  - A server answer of any status is a value; only failing to get one is an `error`
///    (`errc::transport`, `timeout`, `truncated`, `cancelled`).
///  - Redirects are never followed: a 3xx is returned as is.
///  - With a sink, a 2xx body is handed to the sink and `http_response::body` stays empty; a
///    non-2xx body (an error document) is buffered into `body` and the sink is not called.
///  - A body shorter than its `Content-Length` is `errc::truncated`, after the received bytes
///    were handed to the sink (so a reader can resume from there).
///  - `errc::transport` messages include the underlying library's text, never header values.
class transport {
public:
    virtual ~transport() = default;

    /// Sends `request` and returns the response with its body buffered.
    result<http_response> send(const http_request& request) { return do_send(request, nullptr); }

    /// Sends `request`, streaming a 2xx body into `sink` (see the class contract).
    result<http_response> send(const http_request& request, body_sink& sink) { return do_send(request, &sink); }

protected:
    /// The one function an implementation provides. `sink` is null for a buffered send.
    virtual result<http_response> do_send(const http_request& request, body_sink* sink) = 0;
};

/// True for types usable wherever azmi takes a transport.
template <class T>
inline constexpr bool is_transport_v = std::is_base_of_v<transport, T>;

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
/// C++20 spelling of `is_transport_v`.
template <class T>
concept transport_like = is_transport_v<T>;
#endif

AZMI_END_NAMESPACE

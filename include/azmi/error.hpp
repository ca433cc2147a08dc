// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The error model: one value type (`azmi::error`), carried either in a `result<T>` (the
/// non-throwing API, `try_*` functions) or in an `azmi::exception` (the throwing API).
///
/// Messages never contain secrets: code that builds an `error` only puts in text it has
/// produced itself or that it has redacted (see detail/redact.hpp).

#include <azmi/version.hpp>

#include <chrono>       // milliseconds
#include <stdexcept>    // runtime_error
#include <string>       // string
#include <type_traits>  // is_same_v
#include <utility>      // move, in_place_index
#include <variant>      // variant

AZMI_BEGIN_NAMESPACE

/// What kind of failure an `error` describes. Stable: branch on these, not on messages.
enum class errc {
    invalid_argument = 1,  ///< caller input refused before any I/O (name, URL, option)
    not_configured,        ///< a required endpoint or setting is missing (names the variables)
    transport,             ///< could not talk to the server: DNS, connect, TLS, reset
    timeout,               ///< connect, low-speed or total timeout
    truncated,             ///< the body ended before the announced length
    http_status,           ///< an HTTP status not covered by a more precise code below
    authentication,        ///< credentials refused (bad/expired token, wrong secret, bad signature)
    authorization,         ///< credentials valid but not allowed (missing RBAC role)
    blob_not_found,        ///< 404 BlobNotFound
    container_not_found,   ///< 404 ContainerNotFound
    condition_not_met,     ///< 412: the blob changed during a pinned (If-Match) read
    invalid_range,         ///< 416: range outside the blob
    malformed_response,    ///< the server answered something that cannot be parsed
    integrity,             ///< checksum (Content-MD5, CRC64) mismatch
    io,                    ///< local I/O failed (file, sink)
    cancelled,             ///< a sink or progress callback asked to stop
};

/// The stable lowercase name of an `errc`, e.g. "blob_not_found".
const char* to_string(errc code) noexcept;

/// One failure, with everything needed to act on it or report it. Contains no secrets.
struct error {
    errc code = errc::transport;
    /// Secret-free, human-readable explanation of what was wrong and where.
    std::string message;
    /// HTTP status when a server answered (0 when none did).
    int status = 0;
    /// Azure error code (`x-ms-error-code` header, else `<Code>` / JSON `error`), e.g. "BlobNotFound".
    std::string error_code;
    /// `x-ms-request-id` from the service, when present.
    std::string request_id;
    /// `x-ms-client-request-id` we sent, so the caller can find the request in server logs.
    std::string client_request_id;
    /// How long the server asked us to wait before retrying (`Retry-After` & co.); negative if unset.
    std::chrono::milliseconds retry_after{-1};

    error() = default;
    error(errc c, std::string msg) : code(c), message(std::move(msg)) {}
    error(errc c, std::string msg, int http_status) : code(c), message(std::move(msg)), status(http_status) {}

    /// True when the same request may succeed if sent again later: connection failures, timeouts,
    /// truncated bodies and HTTP 408, 429, 500, 502, 503, 504. Never for auth, 404, 412 or 416.
    bool retriable() const noexcept;

    /// One line: "azmi: blob_not_found: <message> [HTTP 404, BlobNotFound, request id …, client request id …]".
    std::string to_string() const;
};

/// Thrown by the throwing API (`get_token`, `read`, …); carries the same `error` as `result`.
class exception : public std::runtime_error {
public:
    explicit exception(::azmi::error e) : std::runtime_error(e.to_string()), error_(std::move(e)) {}
    const ::azmi::error& error() const noexcept { return error_; }
    errc code() const noexcept { return error_.code; }

private:
    ::azmi::error error_;
};

/// A value or an `error`, named like `std::expected` so a later move to C++23 is mechanical.
///
/// `value()` throws `azmi::exception` when there is no value; that is how every throwing
/// function in azmi is built on top of its `try_` twin.
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_same_v<T, ::azmi::error>, "result<error> is ambiguous");

public:
    using value_type = T;

    result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    result(::azmi::error e) : storage_(std::in_place_index<1>, std::move(e)) {}  // NOLINT: implicit by design

    bool has_value() const noexcept { return storage_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & {
        throw_if_error();
        return *std::get_if<0>(&storage_);
    }
    const T& value() const& {
        throw_if_error();
        return *std::get_if<0>(&storage_);
    }
    T&& value() && {
        throw_if_error();
        return std::move(*std::get_if<0>(&storage_));
    }

    /// The error; only valid when `!has_value()`.
    const ::azmi::error& error() const& { return *std::get_if<1>(&storage_); }
    ::azmi::error&& error() && { return std::move(*std::get_if<1>(&storage_)); }

    T& operator*() & { return *std::get_if<0>(&storage_); }
    const T& operator*() const& { return *std::get_if<0>(&storage_); }
    T&& operator*() && { return std::move(*std::get_if<0>(&storage_)); }
    T* operator->() { return std::get_if<0>(&storage_); }
    const T* operator->() const { return std::get_if<0>(&storage_); }

    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
    }

private:
    void throw_if_error() const {
        if (!has_value()) throw exception(*std::get_if<1>(&storage_));
    }
    std::variant<T, ::azmi::error> storage_;
};

/// `result` for operations that produce nothing but may fail.
template <>
class [[nodiscard]] result<void> {
public:
    using value_type = void;

    result() = default;
    result(::azmi::error e) : error_(std::move(e)), failed_(true) {}  // NOLINT: implicit by design

    bool has_value() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const {
        if (failed_) throw exception(error_);
    }
    const ::azmi::error& error() const& { return error_; }
    ::azmi::error&& error() && { return std::move(error_); }

private:
    ::azmi::error error_;
    bool failed_ = false;
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/error.ipp>
#endif

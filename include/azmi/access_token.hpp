// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `access_token`: a bearer token and its lifetime.
///
/// The token text sits in one immutable, reference-counted buffer that is wiped when the last
/// copy goes away. Copying an `access_token` copies a pointer, never the secret, which is what
/// lets the token cache hand out tokens in tens of nanoseconds.

#include <azmi/detail/secure_wipe.hpp>
#include <azmi/version.hpp>

#include <chrono>  // system_clock
#include <memory>  // shared_ptr
#include <string>  // string
#include <utility>  // move

AZMI_BEGIN_NAMESPACE

/// A bearer token with its expiry. Immutable; cheap to copy; never printed by azmi.
class access_token {
public:
    using clock = std::chrono::system_clock;
    using time_point = clock::time_point;

    access_token() = default;

    /// `refresh_at` is when a cache should start fetching a replacement; it defaults to
    /// `expires_on` (no early refresh).
    access_token(std::string token, time_point expires_on, time_point refresh_at = time_point{})
        : value_(make_secret(std::move(token))),
          expires_on_(expires_on),
          refresh_at_(refresh_at == time_point{} ? expires_on : refresh_at) {}

    /// The token text ("eyJ…"); empty for a default-constructed token.
    const std::string& token() const noexcept { return value_ ? *value_ : empty_string(); }
    time_point expires_on() const noexcept { return expires_on_; }
    time_point refresh_at() const noexcept { return refresh_at_; }
    bool empty() const noexcept { return !value_ || value_->empty(); }
    bool expired(time_point now) const noexcept { return now >= expires_on_; }

    /// Two tokens are the same when they share the same buffer or hold the same text.
    friend bool operator==(const access_token& a, const access_token& b) noexcept {
        return a.value_ == b.value_ || a.token() == b.token();
    }
    friend bool operator!=(const access_token& a, const access_token& b) noexcept { return !(a == b); }

private:
    static std::shared_ptr<const std::string> make_secret(std::string token) {
        return std::shared_ptr<const std::string>(new std::string(std::move(token)), [](const std::string* s) {
            detail::secure_wipe(*const_cast<std::string*>(s));
            delete s;
        });
    }
    static const std::string& empty_string() noexcept {
        static const std::string empty;
        return empty;
    }

    std::shared_ptr<const std::string> value_;
    time_point expires_on_{};
    time_point refresh_at_{};
};

AZMI_END_NAMESPACE

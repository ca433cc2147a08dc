// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `retry_options` and `retry_policy`: which storage requests are sent again, and when.
///
/// Defaults follow REST-SPEC §1.8: HTTP 408, 429, 500, 502, 503, 504 and connection failures
/// or timeouts are retried with exponential backoff (0.8 s × 2^n × U[0.8, 1.3], capped at
/// 60 s); the server's `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` wins over the
/// computed delay. Attempts and total time are both bounded. 404, 412, 416 and authentication
/// failures are never retried here (a rejected token is refreshed once by the reader).
///
/// Example (a test that must not sleep):
///     azmi::retry_options retry;
///     std::vector<std::chrono::milliseconds> waits;
///     retry.sleep = [&](std::chrono::milliseconds d) { waits.push_back(d); };

#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/version.hpp>

#include <chrono>       // durations, steady_clock, system_clock
#include <cstdint>      // int64_t
#include <functional>   // function
#include <optional>     // optional
#include <string_view>  // string_view
#include <utility>      // move
#include <vector>       // vector

AZMI_BEGIN_NAMESPACE

namespace detail {

/// `retry_options::sleep`'s default: blocks the calling thread for `d`. Out of line so that this
/// header does not need <thread>.
void retry_sleep(std::chrono::milliseconds d);

}  // namespace detail

/// How storage requests are retried. Copyable value; the reader copies it at construction.
struct retry_options {
    /// Retries after the first attempt (so at most `max_retries + 1` sends). 0 disables retries.
    int max_retries = 4;
    /// Delay before the first retry, before jitter; doubled for each further retry.
    std::chrono::milliseconds initial_delay{800};
    /// Cap on one computed backoff delay (a server's `Retry-After` is not capped by it).
    std::chrono::milliseconds max_delay{60000};
    /// Upper bound on one operation's time from its first send, waits included. A retry whose
    /// wait would end past it is not made; the last error is returned instead.
    std::chrono::milliseconds max_total_time{180000};
    /// Each computed delay is multiplied by a factor drawn uniformly from [jitter_min, jitter_max],
    /// so many clients throttled together do not retry in lockstep. Set both to 1 for none.
    double jitter_min = 0.8;
    double jitter_max = 1.3;
    /// HTTP statuses that are retried.
    std::vector<int> retry_statuses{408, 429, 500, 502, 503, 504};
    /// Honour `retry-after-ms`, `x-ms-retry-after-ms` and `Retry-After` (seconds or HTTP-date).
    bool honour_retry_after = true;
    /// How to wait; tests replace it to record delays instead of sleeping.
    std::function<void(std::chrono::milliseconds)> sleep = [](std::chrono::milliseconds d) { detail::retry_sleep(d); };
    /// The clock `max_total_time` is measured with; tests pair it with a fake `sleep`.
    std::function<std::chrono::steady_clock::time_point()> now = [] { return std::chrono::steady_clock::now(); };
};

/// The retry decisions, separated from sending so they can be tested alone.
class retry_policy {
public:
    retry_policy() = default;
    explicit retry_policy(retry_options options) : options_(std::move(options)) {}

    const retry_options& options() const noexcept { return options_; }

    /// True when `status` is one of `retry_statuses`.
    bool retriable_status(int status) const;

    /// True when a failed send (no HTTP answer) may be repeated: connection failures, timeouts
    /// and bodies cut before any byte was used.
    static bool retriable_failure(const error& e) noexcept {
        return e.code == errc::transport || e.code == errc::timeout || e.code == errc::truncated;
    }

    /// The backoff before retry number `retry` (0 for the first retry), jitter included.
    std::chrono::milliseconds backoff(int retry) const;

    /// The wait the server asked for: `retry-after-ms`, then `x-ms-retry-after-ms` (milliseconds),
    /// then `Retry-After` (delta-seconds or an HTTP-date, measured against `wall_now`). A date in
    /// the past means "now" (0). Nothing usable: `nullopt`.
    static std::optional<std::chrono::milliseconds> server_delay(
        const header_map& headers, std::chrono::system_clock::time_point wall_now = std::chrono::system_clock::now());

    /// Waits `delay` before retry number `retry` (0 for the first) of an operation that started at
    /// `started`, when both bounds allow it: at most `max_retries` retries, and the wait ending
    /// within `max_total_time`. Returns false, without waiting, when they do not.
    bool wait_before_retry(int retry, std::chrono::steady_clock::time_point started,
                           std::chrono::milliseconds delay) const;

    /// The wait before retry number `retry` after `response`: the server's wish when allowed and
    /// present, else the backoff.
    std::chrono::milliseconds delay_for(int retry, const header_map* response_headers) const;

private:
    /// A non-negative decimal integer (at most 9 digits, so no overflow), else nullopt.
    static std::optional<std::int64_t> parse_count(std::string_view v);

    retry_options options_;
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/retry.ipp>
#endif

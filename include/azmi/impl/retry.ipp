// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of retry.hpp: `retry_policy`'s decisions and the default sleep.

#include <azmi/retry.hpp>

#include <azmi/detail/http_date.hpp>  // parse_http_date
#include <azmi/detail/uuid.hpp>       // thread_random_engine
#include <azmi/http.hpp>              // detail::trim_http_space

#include <algorithm>    // find
#include <chrono>       // durations
#include <cstdint>      // int64_t
#include <optional>     // optional
#include <random>       // uniform_real_distribution
#include <string_view>  // string_view
#include <thread>       // this_thread::sleep_for

AZMI_BEGIN_NAMESPACE

namespace detail {

AZMI_DECL void retry_sleep(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

}  // namespace detail

AZMI_DECL bool retry_policy::retriable_status(int status) const {
    return std::find(options_.retry_statuses.begin(), options_.retry_statuses.end(), status) !=
           options_.retry_statuses.end();
}

AZMI_DECL std::chrono::milliseconds retry_policy::backoff(int retry) const {
    double factor = 1.0;
    if (options_.jitter_max > options_.jitter_min) {
        std::uniform_real_distribution<double> jitter(options_.jitter_min, options_.jitter_max);
        factor = jitter(detail::thread_random_engine());
    } else {
        factor = options_.jitter_min;
    }
    const double cap = static_cast<double>(options_.max_delay.count());
    double ms = static_cast<double>(options_.initial_delay.count()) * factor;
    for (int i = 0; i < retry && ms < cap; ++i) ms *= 2.0;
    if (ms > cap) ms = cap;
    if (ms < 0) ms = 0;
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

AZMI_DECL std::optional<std::chrono::milliseconds> retry_policy::server_delay(
    const header_map& headers, std::chrono::system_clock::time_point wall_now) {
    for (std::string_view name : {std::string_view("retry-after-ms"), std::string_view("x-ms-retry-after-ms")}) {
        if (auto v = headers.get(name)) {
            if (auto n = parse_count(*v)) return std::chrono::milliseconds(*n);
        }
    }
    if (auto v = headers.get("Retry-After")) {
        if (auto n = parse_count(*v)) return std::chrono::milliseconds(*n * 1000);
        if (auto when = detail::parse_http_date(detail::trim_http_space(*v))) {
            if (*when <= wall_now) return std::chrono::milliseconds(0);
            return std::chrono::duration_cast<std::chrono::milliseconds>(*when - wall_now);
        }
    }
    return std::nullopt;
}

AZMI_DECL bool retry_policy::wait_before_retry(int retry, std::chrono::steady_clock::time_point started,
                                               std::chrono::milliseconds delay) const {
    if (retry >= options_.max_retries) return false;
    if (options_.now() - started + delay > options_.max_total_time) return false;
    if (delay.count() > 0 && options_.sleep) options_.sleep(delay);
    return true;
}

AZMI_DECL std::chrono::milliseconds retry_policy::delay_for(int retry, const header_map* response_headers) const {
    if (options_.honour_retry_after && response_headers != nullptr) {
        if (auto d = server_delay(*response_headers)) return *d;
    }
    return backoff(retry);
}

AZMI_DECL std::optional<std::int64_t> retry_policy::parse_count(std::string_view v) {
    v = detail::trim_http_space(v);
    if (v.empty() || v.size() > 9) return std::nullopt;
    std::int64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

AZMI_END_NAMESPACE

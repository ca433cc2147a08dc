// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/retry.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <chrono>  // durations, system_clock
#include <memory>  // shared_ptr
#include <vector>  // vector

using namespace std::chrono_literals;
using azmi::header_map;
using azmi::retry_options;
using azmi::retry_policy;

TEST_CASE("retry: defaults retry 408 429 500 502 503 504 and nothing else") {
    const retry_policy policy;
    for (int status : {408, 429, 500, 502, 503, 504}) CHECK(policy.retriable_status(status));
    for (int status : {200, 301, 400, 401, 403, 404, 409, 412, 416, 501, 505}) CHECK_FALSE(policy.retriable_status(status));
    CHECK(policy.options().max_retries > 0);
    CHECK(policy.options().max_total_time > 0ms);
}

TEST_CASE("retry: connection failures, timeouts and cut bodies are retriable; auth and 404 are not") {
    CHECK(retry_policy::retriable_failure(azmi::error(azmi::errc::transport, "reset")));
    CHECK(retry_policy::retriable_failure(azmi::error(azmi::errc::timeout, "slow")));
    CHECK(retry_policy::retriable_failure(azmi::error(azmi::errc::truncated, "cut")));
    CHECK_FALSE(retry_policy::retriable_failure(azmi::error(azmi::errc::authentication, "no")));
    CHECK_FALSE(retry_policy::retriable_failure(azmi::error(azmi::errc::blob_not_found, "no")));
    CHECK_FALSE(retry_policy::retriable_failure(azmi::error(azmi::errc::cancelled, "stop")));
}

TEST_CASE("retry: backoff doubles from 0.8 s and is capped, without jitter") {
    retry_options o;
    o.jitter_min = o.jitter_max = 1.0;
    o.max_delay = 5000ms;
    const retry_policy policy(o);
    CHECK(policy.backoff(0) == 800ms);
    CHECK(policy.backoff(1) == 1600ms);
    CHECK(policy.backoff(2) == 3200ms);
    CHECK(policy.backoff(3) == 5000ms);
    CHECK(policy.backoff(60) == 5000ms);  // no overflow for absurd attempt numbers
}

TEST_CASE("retry: jitter stays within [0.8, 1.3] of the nominal delay") {
    const retry_policy policy;  // 800 ms, jitter 0.8..1.3
    bool saw_low = false, saw_high = false;
    for (int i = 0; i < 500; ++i) {
        const auto d0 = policy.backoff(0);
        CHECK(d0 >= 640ms);
        CHECK(d0 <= 1040ms);
        saw_low = saw_low || d0 < 800ms;
        saw_high = saw_high || d0 > 800ms;
        const auto d2 = policy.backoff(2);
        CHECK(d2 >= 2560ms);
        CHECK(d2 <= 4160ms);
    }
    CHECK(saw_low);
    CHECK(saw_high);
}

TEST_CASE("retry: server delay from retry-after-ms, x-ms-retry-after-ms, Retry-After seconds and date") {
    CHECK(retry_policy::server_delay(header_map{{"retry-after-ms", "250"}}) == 250ms);
    CHECK(retry_policy::server_delay(header_map{{"x-ms-retry-after-ms", "1500"}}) == 1500ms);
    CHECK(retry_policy::server_delay(header_map{{"Retry-After", "7"}}) == 7000ms);
    CHECK(retry_policy::server_delay(header_map{{"Retry-After", " 3 "}}) == 3000ms);
    // Milliseconds win over seconds.
    CHECK(retry_policy::server_delay(header_map{{"Retry-After", "9"}, {"retry-after-ms", "10"}}) == 10ms);

    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1705312800));  // Mon, 15 Jan 2024 10:00:00 GMT
    CHECK(retry_policy::server_delay(header_map{{"Retry-After", "Mon, 15 Jan 2024 10:00:30 GMT"}}, now) == 30000ms);
    CHECK(retry_policy::server_delay(header_map{{"Retry-After", "Mon, 15 Jan 2024 09:00:00 GMT"}}, now) == 0ms);

    CHECK_FALSE(retry_policy::server_delay(header_map{}).has_value());
    CHECK_FALSE(retry_policy::server_delay(header_map{{"Retry-After", "soon"}}).has_value());
    CHECK_FALSE(retry_policy::server_delay(header_map{{"Retry-After", "-5"}}).has_value());
    CHECK_FALSE(retry_policy::server_delay(header_map{{"retry-after-ms", "99999999999999"}}).has_value());
}

TEST_CASE("retry: delay_for prefers the server's wish unless told not to") {
    retry_options o;
    o.jitter_min = o.jitter_max = 1.0;
    const header_map h{{"Retry-After", "2"}};
    CHECK(retry_policy(o).delay_for(0, &h) == 2000ms);
    CHECK(retry_policy(o).delay_for(1, nullptr) == 1600ms);
    o.honour_retry_after = false;
    CHECK(retry_policy(o).delay_for(0, &h) == 800ms);
}

TEST_CASE("retry: the status set is configurable") {
    retry_options o;
    o.retry_statuses = {503};
    const retry_policy policy(o);
    CHECK(policy.retriable_status(503));
    CHECK_FALSE(policy.retriable_status(500));
}

TEST_CASE("retry: wait_before_retry sleeps only within the attempt and time bounds") {
    std::vector<std::chrono::milliseconds> slept;
    auto clock = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::time_point{});
    retry_options o;
    o.max_retries = 2;
    o.max_total_time = 10s;
    o.sleep = [&slept, clock](std::chrono::milliseconds d) {
        slept.push_back(d);
        *clock += d;
    };
    o.now = [clock] { return *clock; };
    const retry_policy policy(o);
    const auto started = *clock;
    CHECK(policy.wait_before_retry(0, started, 3s));
    CHECK(policy.wait_before_retry(1, started, 0ms));  // allowed, but nothing to wait for
    CHECK_FALSE(policy.wait_before_retry(2, started, 1ms));  // third retry: over max_retries
    REQUIRE(slept.size() == 1);
    CHECK(slept[0] == 3s);
    // 3 s spent: a 7 s wait ends exactly at the bound and is allowed; 7001 ms is not.
    CHECK_FALSE(policy.wait_before_retry(1, started, 7001ms));
    CHECK(slept.size() == 1);
    CHECK(policy.wait_before_retry(1, started, 7s));
    CHECK(slept.size() == 2);
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

// A clock for token cache tests: starts at a fixed instant and moves only when told to.
// Copies share the same time, so a test keeps one and hands another to the cache.

#include <atomic>  // atomic
#include <chrono>  // system_clock
#include <cstdint>  // int64_t
#include <memory>  // shared_ptr

namespace azmi_test {

class fake_clock {
public:
    using time_point = std::chrono::system_clock::time_point;

    fake_clock() : now_(std::make_shared<std::atomic<std::int64_t>>(1'700'000'000LL * 1000)) {}

    time_point now() const noexcept { return time_point(std::chrono::milliseconds(now_->load())); }
    void advance(std::chrono::milliseconds d) const noexcept { now_->fetch_add(d.count()); }

private:
    std::shared_ptr<std::atomic<std::int64_t>> now_;  // milliseconds since the epoch
};

}  // namespace azmi_test

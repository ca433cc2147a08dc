// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Random (version 4) UUIDs for `x-ms-client-request-id`, and a thread-local random engine
/// that retry jitter and temporary file names share.
///
/// The ids only have to be unique, not unpredictable, so a per-thread Mersenne Twister seeded
/// from `std::random_device`, the clock and the thread id is enough; no lock on the hot path.

#include <azmi/version.hpp>

#include <chrono>      // high_resolution_clock
#include <cstdint>     // uint64_t
#include <functional>  // hash
#include <random>      // mt19937_64, random_device, seed_seq
#include <string>      // string
#include <thread>      // this_thread::get_id

AZMI_BEGIN_NAMESPACE
namespace detail {

/// This thread's random engine, seeded on first use.
inline std::mt19937_64& thread_random_engine() {
    thread_local std::mt19937_64 engine = [] {
        std::random_device device;
        const auto now = static_cast<std::uint64_t>(std::chrono::high_resolution_clock::now().time_since_epoch().count());
        const auto tid = static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()));
        std::seed_seq seq{device(), device(), device(), device(), static_cast<unsigned>(now),
                          static_cast<unsigned>(now >> 32), static_cast<unsigned>(tid), static_cast<unsigned>(tid >> 32)};
        return std::mt19937_64(seq);
    }();
    return engine;
}

/// A new random UUID in the canonical lowercase form, e.g. "7f3c1d2e-9a4b-4c1d-8e2f-0123456789ab".
inline std::string make_uuid_v4() {
    auto& engine = thread_random_engine();
    std::uint64_t hi = engine();
    std::uint64_t lo = engine();
    hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 15; i >= 0; --i) {
        out += digits[(hi >> (4 * i)) & 0xF];
        if (i == 8 || i == 4) out += '-';
    }
    out += '-';
    for (int i = 15; i >= 0; --i) {
        out += digits[(lo >> (4 * i)) & 0xF];
        if (i == 12) out += '-';
    }
    return out;
}

}  // namespace detail
AZMI_END_NAMESPACE

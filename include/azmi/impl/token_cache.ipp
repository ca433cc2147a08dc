// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of token_cache.hpp: the cache entries and the slow path (first use,
/// refresh, waiting for another thread's fetch, failures).

#include <azmi/token_cache.hpp>

#include <algorithm>           // min, max
#include <atomic>              // atomic
#include <chrono>              // durations
#include <condition_variable>  // condition_variable
#include <cstdint>             // uint64_t
#include <exception>           // exception
#include <memory>              // unique_ptr
#include <mutex>               // mutex, unique_lock, lock_guard
#include <optional>            // optional
#include <string>              // string
#include <string_view>         // string_view
#include <utility>             // move

AZMI_BEGIN_NAMESPACE
namespace detail {

/// A whole cache entry: the hot part (token_slot) and what the slow path guards with the mutex.
struct token_slot_state final : token_slot {
    using time_point = access_token::time_point;

    using token_slot::token_slot;

    std::mutex mutex;  // guards everything below
    std::condition_variable refreshed;
    access_token current;
    bool refreshing = false;
    std::uint64_t round = 0;                // completed fetches, success or failure
    std::optional<error> last_round_error;  // why the latest round failed, if it did
    time_point retry_not_before{};          // after a failed refresh of a still-valid token

    /// Drops the token; every thread's replica goes stale with the generation. Caller holds `mutex`.
    void forget_token() {
        current = access_token{};
        generation.fetch_add(1, std::memory_order_release);
    }

    static bool usable(const access_token& t, time_point now, const token_cache_options& options) noexcept {
        return !t.empty() && now + options.expiry_slack < t.expires_on();
    }

    /// Copies the token into this thread's replica (a private buffer; see token_cache.hpp).
    /// The replica is looked up again here rather than carried over from `get`: `fetch` may have
    /// used other slots on this thread and recycled that replica in the meantime.
    access_token publish(const token_cache_options& options, token_replica& (*replica_of)(std::uint64_t)) const {
        token_replica& replica = replica_of(id);
        // The hot path only checks refresh_at, so never let it run past the usable lifetime.
        const time_point refresh_at = std::min(current.refresh_at(), current.expires_on() - options.expiry_slack);
        replica.token = access_token(current.token(), current.expires_on(), refresh_at);
        replica.generation = generation.load(std::memory_order_relaxed);
        return replica.token;
    }

    result<access_token> fetch_as_leader(std::unique_lock<std::mutex>& lock, const token_cache_options& options,
                                         token_clock_ref clock, token_fetch_ref fetch,
                                         token_replica& (*replica_of)(std::uint64_t)) {
        refreshing = true;
        lock.unlock();
        result<access_token> fetched = [&]() -> result<access_token> {
            try {
                return fetch.call(fetch.fetch);
            } catch (const exception& e) {
                return e.error();
            } catch (const std::exception& e) {
                return error(errc::transport, std::string("token fetch failed: ") + e.what());
            }
        }();
        lock.lock();
        refreshing = false;
        ++round;
        const time_point now = clock.now();
        if (fetched && usable(*fetched, now, options)) {
            current = std::move(*fetched);
            last_round_error.reset();
            retry_not_before = time_point{};
            generation.fetch_add(1, std::memory_order_release);
            refreshed.notify_all();
            return publish(options, replica_of);
        }
        error why = fetched ? error(errc::malformed_response, "the identity endpoint returned a token that is already "
                                                              "expired or expires within the expiry slack")
                            : std::move(fetched).error();
        last_round_error = why;
        if (usable(current, now, options)) {
            // Keep serving the old token; try again after a delay that shrinks as expiry nears.
            const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(current.expires_on() - now);
            const auto delay = std::max(options.min_retry_delay, std::min(options.max_retry_delay, remaining / 8));
            retry_not_before = now + delay;
            refreshed.notify_all();
            return publish(options, replica_of);
        }
        refreshed.notify_all();
        return why;
    }
};

AZMI_DECL result<access_token> token_slot::get_slow(const token_cache_options& options, token_clock_ref clock,
                                                    token_fetch_ref fetch,
                                                    token_replica& (*replica_of)(std::uint64_t)) {
    auto& s = static_cast<token_slot_state&>(*this);
    std::unique_lock<std::mutex> lock(s.mutex);
    for (;;) {
        const access_token::time_point now = clock.now();
        const bool valid = token_slot_state::usable(s.current, now, options);
        if (valid && now < s.current.refresh_at()) return s.publish(options, replica_of);
        if (s.refreshing) {
            // Someone is fetching. A still-valid token is good enough meanwhile; without one,
            // wait for that fetch and share its outcome rather than sending our own request.
            if (valid) return s.publish(options, replica_of);
            const std::uint64_t waited_round = s.round;
            s.refreshed.wait(lock, [&] { return !s.refreshing; });
            if (s.round != waited_round && s.last_round_error &&
                !token_slot_state::usable(s.current, clock.now(), options))
                return *s.last_round_error;
            continue;
        }
        if (valid && now < s.retry_not_before) return s.publish(options, replica_of);
        return s.fetch_as_leader(lock, options, clock, fetch, replica_of);
    }
}

AZMI_DECL void token_slot::invalidate(const access_token& rejected) {
    auto& s = static_cast<token_slot_state&>(*this);
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.current.empty() && s.current == rejected) s.forget_token();
}

AZMI_DECL token_slot_list::~token_slot_list() {
    token_slot* s = head_.load(std::memory_order_acquire);
    while (s != nullptr) {
        token_slot* next = s->next;
        delete static_cast<token_slot_state*>(s);
        s = next;
    }
}

AZMI_DECL void token_slot_list::clear() {
    for (token_slot* s = head_.load(std::memory_order_acquire); s != nullptr; s = s->next) {
        auto& state = static_cast<token_slot_state&>(*s);
        std::lock_guard<std::mutex> lock(state.mutex);
        state.forget_token();
    }
}

AZMI_DECL token_slot& token_slot_list::add(std::string_view identity, std::string_view resource) {
    // Slot ids are unique across caches: a thread's replicas are shared by every cache.
    static std::atomic<std::uint64_t> next_id{0};
    std::lock_guard<std::mutex> lock(add_mutex_);
    if (token_slot* s = find(identity, resource)) return *s;  // added while we waited
    auto fresh = std::make_unique<token_slot_state>(identity, resource,
                                                    next_id.fetch_add(1, std::memory_order_relaxed) + 1);
    fresh->next = head_.load(std::memory_order_relaxed);
    head_.store(fresh.get(), std::memory_order_release);
    return *fresh.release();
}

}  // namespace detail
AZMI_END_NAMESPACE

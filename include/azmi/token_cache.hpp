// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `basic_token_cache`: tokens keyed by identity and resource, refreshed ahead of expiry, with
/// one refresh in flight per key and a hot path that takes no lock and does no I/O.
///
/// How the hot path stays in the tens of nanoseconds, also on many threads:
///  - Each key has a slot with an atomic generation number, bumped whenever its token changes.
///  - Each thread keeps a private replica (its own copy of the token buffer, so copies returned
///    to that thread touch only that thread's reference count) tagged with the generation it
///    copied. A call that finds its replica current and not yet due for refresh returns it.
///  - Everything else (first use, refresh, waiting for another thread's refresh, failures) is
///    the slow path under the slot's mutex.
/// Caching is kept apart from fetching (the caller passes the fetch function), as the Azure
/// SDK's TokenCache does, so the cache can be tested with a fake clock and a counting fetcher.

#include <azmi/access_token.hpp>
#include <azmi/error.hpp>
#include <azmi/version.hpp>

#include <algorithm>           // min, max
#include <array>               // array
#include <atomic>              // atomic
#include <chrono>              // system_clock, durations
#include <condition_variable>  // condition_variable
#include <cstdint>             // uint64_t
#include <ctime>               // clock_gettime
#include <memory>              // unique_ptr
#include <mutex>               // mutex, unique_lock
#include <optional>            // optional
#include <string>              // string
#include <string_view>         // string_view
#include <utility>             // move

AZMI_BEGIN_NAMESPACE

/// The default cache clock: the coarse real-time clock (a few nanoseconds to read, a few
/// milliseconds of resolution), plenty for token lifetimes measured in minutes.
struct coarse_clock {
    using time_point = std::chrono::system_clock::time_point;
    time_point now() const noexcept {
#if defined(CLOCK_REALTIME_COARSE)
        timespec ts{};
        ::clock_gettime(CLOCK_REALTIME_COARSE, &ts);
        return time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
#else
        return std::chrono::system_clock::now();
#endif
    }
};

/// How the cache behaves around expiry.
struct token_cache_options {
    /// A token is treated as expired this long before its `expires_on`, so a token handed out
    /// is still good when the request reaches the service (and the coarse clock's lag is covered).
    std::chrono::milliseconds expiry_slack{1000};
    /// After a failed background refresh (old token still valid), wait at least this long
    /// before trying again, so a down endpoint is not hammered by every call.
    std::chrono::milliseconds min_retry_delay{1000};
    /// …and at most this long.
    std::chrono::milliseconds max_retry_delay{30000};
};

namespace detail {

/// One thread's copy of one slot's token.
struct token_replica {
    std::uint64_t slot_id = 0;
    std::uint64_t generation = 0;
    access_token token;
};

/// The calling thread's replicas, a few slots deep: a thread rarely uses more than one or two
/// identities and resources. Replaced round-robin; the buffers are wiped when dropped.
inline token_replica& thread_replica(std::uint64_t slot_id) {
    thread_local std::array<token_replica, 4> replicas;
    thread_local unsigned next_victim = 0;
    for (auto& r : replicas)
        if (r.slot_id == slot_id) return r;
    auto& victim = replicas[next_victim++ % replicas.size()];
    victim = token_replica{slot_id, 0, access_token{}};
    return victim;
}

inline std::uint64_t next_token_slot_id() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace detail

/// A thread-safe token cache. `Clock` is any type with `time_point now() const` returning a
/// `std::chrono::system_clock::time_point`; tests inject a fake one.
template <class Clock = coarse_clock>
class basic_token_cache {
public:
    using clock_type = Clock;
    using time_point = access_token::time_point;

    explicit basic_token_cache(Clock clock = Clock{}, token_cache_options options = {})
        : clock_(std::move(clock)), options_(options) {}

    basic_token_cache(const basic_token_cache&) = delete;
    basic_token_cache& operator=(const basic_token_cache&) = delete;

    ~basic_token_cache() {
        slot* s = head_.load(std::memory_order_acquire);
        while (s != nullptr) {
            slot* next = s->next;
            delete s;
            s = next;
        }
    }

    /// The cached token for (`identity`, `resource`), calling `fetch()` (which returns
    /// `result<access_token>`) when there is none or it is due for refresh.
    ///
    /// - A current token is returned without locking or I/O.
    /// - Concurrent callers on a cold key wait for one fetch and share its result (or error).
    /// - When the token is due for refresh but still valid, one caller fetches and the others
    ///   get the current token meanwhile; if the fetch fails, the current token is returned and
    ///   the fetch is retried later.
    /// - An expired token is never returned.
    /// Thread-safe. `fetch` runs without any cache lock held.
    template <class Fetch>
    result<access_token> get(std::string_view identity, std::string_view resource, Fetch&& fetch) {
        slot& s = find_or_add(identity, resource);
        detail::token_replica& replica = detail::thread_replica(s.id);
        const std::uint64_t generation = s.generation.load(std::memory_order_acquire);
        if (replica.generation == generation && generation != 0 && clock_.now() < replica.token.refresh_at())
            return replica.token;
        return get_slow(s, fetch);
    }

    /// Forgets `rejected` for (`identity`, `resource`) if it is still the cached token, so the
    /// next `get` fetches a new one. A token that was already replaced is left alone, so many
    /// threads reporting the same rejection cause one refresh.
    void invalidate(std::string_view identity, std::string_view resource, const access_token& rejected) {
        slot* s = find(identity, resource);
        if (s == nullptr) return;
        std::lock_guard<std::mutex> lock(s->mutex);
        if (!s->current.empty() && s->current == rejected) {
            s->current = access_token{};
            s->generation.fetch_add(1, std::memory_order_release);
        }
    }

    /// Drops every cached token (they are wiped when the last copy goes).
    void clear() {
        for (slot* s = head_.load(std::memory_order_acquire); s != nullptr; s = s->next) {
            std::lock_guard<std::mutex> lock(s->mutex);
            s->current = access_token{};
            s->generation.fetch_add(1, std::memory_order_release);
        }
    }

    const Clock& clock() const noexcept { return clock_; }

private:
    struct slot {
        slot(std::string_view identity_, std::string_view resource_)
            : identity(identity_), resource(resource_), id(detail::next_token_slot_id()) {}
        const std::string identity;
        const std::string resource;
        const std::uint64_t id;
        slot* next = nullptr;  // immutable once published
        std::atomic<std::uint64_t> generation{0};

        std::mutex mutex;  // guards everything below
        std::condition_variable refreshed;
        access_token current;
        bool refreshing = false;
        std::uint64_t round = 0;                  // completed fetches, success or failure
        std::optional<error> last_round_error;    // why the latest round failed, if it did
        time_point retry_not_before{};            // after a failed refresh of a still-valid token
    };

    slot* find(std::string_view identity, std::string_view resource) const noexcept {
        for (slot* s = head_.load(std::memory_order_acquire); s != nullptr; s = s->next)
            if (s->resource == resource && s->identity == identity) return s;
        return nullptr;
    }

    slot& find_or_add(std::string_view identity, std::string_view resource) {
        if (slot* s = find(identity, resource)) return *s;
        std::lock_guard<std::mutex> lock(add_mutex_);
        if (slot* s = find(identity, resource)) return *s;  // added while we waited
        auto fresh = std::make_unique<slot>(identity, resource);
        fresh->next = head_.load(std::memory_order_relaxed);
        head_.store(fresh.get(), std::memory_order_release);
        return *fresh.release();
    }

    bool usable(const access_token& t, time_point now) const noexcept {
        return !t.empty() && now + options_.expiry_slack < t.expires_on();
    }

    /// Copies the slot's token into this thread's replica (a private buffer; see file comment).
    /// The replica is looked up again here rather than carried over from `get`: `fetch` may have
    /// used other slots on this thread and recycled that replica in the meantime.
    access_token publish(const slot& s) const {
        detail::token_replica& replica = detail::thread_replica(s.id);
        // The hot path only checks refresh_at, so never let it run past the usable lifetime.
        const time_point refresh_at = std::min(s.current.refresh_at(), s.current.expires_on() - options_.expiry_slack);
        replica.token = access_token(s.current.token(), s.current.expires_on(), refresh_at);
        replica.generation = s.generation.load(std::memory_order_relaxed);
        return replica.token;
    }

    template <class Fetch>
    result<access_token> get_slow(slot& s, Fetch& fetch) {
        std::unique_lock<std::mutex> lock(s.mutex);
        for (;;) {
            const time_point now = clock_.now();
            const bool valid = usable(s.current, now);
            if (valid && now < s.current.refresh_at()) return publish(s);
            if (s.refreshing) {
                // Someone is fetching. A still-valid token is good enough meanwhile; without one,
                // wait for that fetch and share its outcome rather than sending our own request.
                if (valid) return publish(s);
                const std::uint64_t waited_round = s.round;
                s.refreshed.wait(lock, [&] { return !s.refreshing; });
                if (s.round != waited_round && s.last_round_error && !usable(s.current, clock_.now()))
                    return *s.last_round_error;
                continue;
            }
            if (valid && now < s.retry_not_before) return publish(s);
            return fetch_as_leader(s, lock, fetch);
        }
    }

    template <class Fetch>
    result<access_token> fetch_as_leader(slot& s, std::unique_lock<std::mutex>& lock, Fetch& fetch) {
        s.refreshing = true;
        lock.unlock();
        result<access_token> fetched = [&]() -> result<access_token> {
            try {
                return fetch();
            } catch (const exception& e) {
                return e.error();
            } catch (const std::exception& e) {
                return error(errc::transport, std::string("token fetch failed: ") + e.what());
            }
        }();
        lock.lock();
        s.refreshing = false;
        ++s.round;
        const time_point now = clock_.now();
        if (fetched && usable(*fetched, now)) {
            s.current = std::move(*fetched);
            s.last_round_error.reset();
            s.retry_not_before = time_point{};
            s.generation.fetch_add(1, std::memory_order_release);
            s.refreshed.notify_all();
            return publish(s);
        }
        error why = fetched ? error(errc::malformed_response, "the identity endpoint returned a token that is already "
                                                              "expired or expires within the expiry slack")
                            : std::move(fetched).error();
        s.last_round_error = why;
        if (usable(s.current, now)) {
            // Keep serving the old token; try again after a delay that shrinks as expiry nears.
            const auto remaining =
                std::chrono::duration_cast<std::chrono::milliseconds>(s.current.expires_on() - now);
            const auto delay = std::max(options_.min_retry_delay, std::min(options_.max_retry_delay, remaining / 8));
            s.retry_not_before = now + delay;
            s.refreshed.notify_all();
            return publish(s);
        }
        s.refreshed.notify_all();
        return why;
    }

    Clock clock_;
    token_cache_options options_;
    std::atomic<slot*> head_{nullptr};
    std::mutex add_mutex_;
};

/// The cache with the default (coarse real-time) clock.
using token_cache = basic_token_cache<coarse_clock>;

AZMI_END_NAMESPACE

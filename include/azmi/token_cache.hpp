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

#include <array>        // array
#include <atomic>       // atomic
#include <chrono>       // system_clock, durations
#include <cstdint>      // uint64_t
#include <ctime>        // clock_gettime
#include <memory>       // addressof
#include <mutex>        // mutex
#include <string>       // string
#include <string_view>  // string_view
#include <type_traits>  // remove_reference_t
#include <utility>      // move

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

/// A `Clock` seen through a function pointer, so the slow path can live out of line while
/// reading the cache's own clock (a test's fake clock may move during a fetch).
struct token_clock_ref {
    const void* clock;
    access_token::time_point (*read)(const void* clock);

    template <class Clock>
    static token_clock_ref of(const Clock& c) noexcept {
        return {std::addressof(c), [](const void* p) { return static_cast<const Clock*>(p)->now(); }};
    }
    access_token::time_point now() const { return read(clock); }
};

/// A token fetcher (any callable returning something convertible to `result<access_token>`),
/// borrowed for one call of the slow path.
struct token_fetch_ref {
    void* fetch;
    result<access_token> (*call)(void* fetch);

    template <class Fetch>
    static token_fetch_ref of(Fetch& f) noexcept {
        return {const_cast<void*>(static_cast<const void*>(std::addressof(f))),
                [](void* p) -> result<access_token> { return (*static_cast<Fetch*>(p))(); }};
    }
};

/// The part of a cache entry the hot path reads. The rest of the entry (its mutex-guarded token
/// and refresh state) is defined with the slow path in impl/token_cache.ipp, which alone creates
/// and destroys entries.
struct token_slot {
    token_slot(std::string_view identity_, std::string_view resource_, std::uint64_t id_)
        : identity(identity_), resource(resource_), id(id_) {}
    token_slot(const token_slot&) = delete;
    token_slot& operator=(const token_slot&) = delete;

    const std::string identity;
    const std::string resource;
    const std::uint64_t id;
    token_slot* next = nullptr;  // immutable once published
    std::atomic<std::uint64_t> generation{0};

    /// The slow path of `basic_token_cache::get` (see there), with `options`, the clock and the
    /// fetcher passed in. `replica_of` is the caller's `thread_replica`: publishing into the very
    /// replicas the inline hot path reads holds even where a shared library keeps its own copy
    /// of inline functions (-fvisibility-inlines-hidden).
    result<access_token> get_slow(const token_cache_options& options, token_clock_ref clock, token_fetch_ref fetch,
                                  token_replica& (*replica_of)(std::uint64_t));

    /// Forgets `rejected` if it is still this entry's token.
    void invalidate(const access_token& rejected);

protected:
    ~token_slot() = default;  // entries are destroyed as their full type, by token_slot_list
};

/// The cache's entries: a lock-free, append-only list for lookups, a mutex for additions.
class token_slot_list {
public:
    token_slot_list() = default;
    token_slot_list(const token_slot_list&) = delete;
    token_slot_list& operator=(const token_slot_list&) = delete;
    ~token_slot_list();

    token_slot* find(std::string_view identity, std::string_view resource) const noexcept {
        for (token_slot* s = head_.load(std::memory_order_acquire); s != nullptr; s = s->next)
            if (s->resource == resource && s->identity == identity) return s;
        return nullptr;
    }

    token_slot& find_or_add(std::string_view identity, std::string_view resource) {
        if (token_slot* s = find(identity, resource)) return *s;
        return add(identity, resource);
    }

    /// Drops every entry's token.
    void clear();

private:
    /// Adds the entry for (`identity`, `resource`), or returns the one another thread just added.
    token_slot& add(std::string_view identity, std::string_view resource);

    std::atomic<token_slot*> head_{nullptr};
    std::mutex add_mutex_;
};

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
        detail::token_slot& s = slots_.find_or_add(identity, resource);
        detail::token_replica& replica = detail::thread_replica(s.id);
        const std::uint64_t generation = s.generation.load(std::memory_order_acquire);
        if (replica.generation == generation && generation != 0 && clock_.now() < replica.token.refresh_at())
            return replica.token;
        return s.get_slow(options_, detail::token_clock_ref::of(clock_), detail::token_fetch_ref::of(fetch),
                          &detail::thread_replica);
    }

    /// Forgets `rejected` for (`identity`, `resource`) if it is still the cached token, so the
    /// next `get` fetches a new one. A token that was already replaced is left alone, so many
    /// threads reporting the same rejection cause one refresh.
    void invalidate(std::string_view identity, std::string_view resource, const access_token& rejected) {
        if (detail::token_slot* s = slots_.find(identity, resource)) s->invalidate(rejected);
    }

    /// Drops every cached token (they are wiped when the last copy goes).
    void clear() { slots_.clear(); }

    const Clock& clock() const noexcept { return clock_; }

private:
    Clock clock_;
    token_cache_options options_;
    detail::token_slot_list slots_;
};

/// The cache with the default (coarse real-time) clock.
using token_cache = basic_token_cache<coarse_clock>;

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/token_cache.ipp>
#endif

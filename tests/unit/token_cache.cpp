// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/token_cache.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <fake_clock.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using azmi_test::fake_clock;
using cache_t = azmi::basic_token_cache<fake_clock>;

namespace {

// A fetcher that counts calls and mints "token-<n>" living `lifetime`, refreshing `margin` early.
struct counting_fetcher {
    fake_clock clock;
    std::atomic<int> calls{0};
    std::chrono::milliseconds lifetime = 3600s;
    std::chrono::milliseconds margin = 300s;

    azmi::result<azmi::access_token> operator()() {
        const int n = ++calls;
        const auto now = clock.now();
        return azmi::access_token("token-" + std::to_string(n), now + lifetime, now + lifetime - margin);
    }
};

}  // namespace

TEST_CASE("token_cache: a cached token is returned without calling fetch again") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher fetch{clock};
    auto first = cache.get("system", "https://storage.azure.com", [&] { return fetch(); });
    REQUIRE(first);
    CHECK(first->token() == "token-1");
    for (int i = 0; i < 100; ++i) {
        auto again = cache.get("system", "https://storage.azure.com", [&] { return fetch(); });
        REQUIRE(again);
        CHECK(again->token() == "token-1");
    }
    CHECK(fetch.calls == 1);
}

TEST_CASE("token_cache: keys are identity and resource") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher fetch{clock};
    auto f = [&] { return fetch(); };
    CHECK(cache.get("system", "https://storage.azure.com", f)->token() == "token-1");
    CHECK(cache.get("client:abc", "https://storage.azure.com", f)->token() == "token-2");
    CHECK(cache.get("system", "https://vault.azure.net", f)->token() == "token-3");
    CHECK(cache.get("client:abc", "https://storage.azure.com", f)->token() == "token-2");
    CHECK(fetch.calls == 3);
}

TEST_CASE("token_cache: refreshes ahead of expiry at refresh_at") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher fetch{clock};
    auto f = [&] { return fetch(); };
    CHECK(cache.get("system", "r", f)->token() == "token-1");
    clock.advance(3600s - 300s - 1s);  // just before refresh_at
    CHECK(cache.get("system", "r", f)->token() == "token-1");
    clock.advance(2s);  // past refresh_at, well before expiry
    CHECK(cache.get("system", "r", f)->token() == "token-2");
    CHECK(fetch.calls == 2);
}

TEST_CASE("token_cache: a failed refresh while the old token is valid returns the old token and retries later") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher good{clock};
    int failures = 0;
    auto failing = [&]() -> azmi::result<azmi::access_token> {
        ++failures;
        return azmi::error(azmi::errc::http_status, "identity endpoint answered HTTP 503", 503);
    };
    REQUIRE(cache.get("system", "r", [&] { return good(); }));
    clock.advance(3400s);  // due for refresh (refresh_at = 3300 s), still valid until 3600 s
    auto during_outage = cache.get("system", "r", failing);
    REQUIRE(during_outage);
    CHECK(during_outage->token() == "token-1");
    CHECK(failures == 1);

    // Immediately again: inside the retry delay, no new attempt.
    CHECK(cache.get("system", "r", failing)->token() == "token-1");
    CHECK(failures == 1);

    // After the retry delay (bounded by max_retry_delay = 30 s): tries again, still serves old.
    clock.advance(31s);
    CHECK(cache.get("system", "r", failing)->token() == "token-1");
    CHECK(failures == 2);

    // The endpoint recovers: the next attempt after the delay replaces the token.
    clock.advance(31s);
    CHECK(cache.get("system", "r", [&] { return good(); })->token() == "token-2");
}

TEST_CASE("token_cache: an expired token is never returned") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher good{clock};
    REQUIRE(cache.get("system", "r", [&] { return good(); }));
    clock.advance(3600s);  // exactly at expiry
    auto failing = [&]() -> azmi::result<azmi::access_token> {
        return azmi::error(azmi::errc::transport, "connection refused");
    };
    auto r = cache.get("system", "r", failing);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == azmi::errc::transport);

    SUBCASE("within the expiry slack counts as expired too") {
        fake_clock clock2;
        cache_t cache2(clock2);
        counting_fetcher good2{clock2};
        REQUIRE(cache2.get("system", "r", [&] { return good2(); }));
        clock2.advance(3600s - 500ms);  // 0.5 s left < 1 s slack
        CHECK_FALSE(cache2.get("system", "r", failing));
    }
}

TEST_CASE("token_cache: a fetched token that is already expired is an error, not a result") {
    fake_clock clock;
    cache_t cache(clock);
    auto stale = [&]() -> azmi::result<azmi::access_token> {
        return azmi::access_token("old", clock.now() - 1s);
    };
    auto r = cache.get("system", "r", stale);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == azmi::errc::malformed_response);
}

TEST_CASE("token_cache: exceptions from fetch become errors") {
    fake_clock clock;
    cache_t cache(clock);
    auto throwing = []() -> azmi::result<azmi::access_token> { throw std::runtime_error("boom"); };
    auto r = cache.get("system", "r", throwing);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("boom") != std::string::npos);
}

TEST_CASE("token_cache: invalidate forces one refresh, and only for the rejected token") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher fetch{clock};
    auto f = [&] { return fetch(); };
    const auto t1 = *cache.get("system", "r", f);
    cache.invalidate("system", "r", t1);
    const auto t2 = *cache.get("system", "r", f);
    CHECK(t2.token() == "token-2");
    // A second report of the same (already replaced) token changes nothing.
    cache.invalidate("system", "r", t1);
    CHECK(cache.get("system", "r", f)->token() == "token-2");
    CHECK(fetch.calls == 2);
    // Unknown keys are ignored.
    cache.invalidate("nobody", "r", t1);
}

TEST_CASE("token_cache: clear drops everything") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher fetch{clock};
    auto f = [&] { return fetch(); };
    REQUIRE(cache.get("system", "r", f));
    cache.clear();
    CHECK(cache.get("system", "r", f)->token() == "token-2");
}

TEST_CASE("token_cache: 64 threads on a cold cache cause exactly one fetch") {
    fake_clock clock;
    cache_t cache(clock);
    std::atomic<int> calls{0};
    auto slow_fetch = [&]() -> azmi::result<azmi::access_token> {
        ++calls;
        std::this_thread::sleep_for(50ms);  // hold the refresh open while the others arrive
        return azmi::access_token("shared", clock.now() + 3600s, clock.now() + 3300s);
    };
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i) {
        threads.emplace_back([&] {
            auto r = cache.get("system", "https://storage.azure.com", slow_fetch);
            if (r && r->token() == "shared") ++ok;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(calls == 1);
    CHECK(ok == 64);
}

TEST_CASE("token_cache: waiters share the leader's failure instead of each sending a request") {
    fake_clock clock;
    cache_t cache(clock);
    std::atomic<int> calls{0};
    auto failing = [&]() -> azmi::result<azmi::access_token> {
        ++calls;
        std::this_thread::sleep_for(50ms);
        return azmi::error(azmi::errc::authentication, "identity endpoint answered HTTP 401", 401);
    };
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i) {
        threads.emplace_back([&] {
            auto r = cache.get("system", "r", failing);
            if (!r && r.error().code == azmi::errc::authentication) ++failed;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failed == 16);
    CHECK(calls < 16);  // late arrivals after the round may start a new one, but not every thread
}

TEST_CASE("token_cache: during a refresh other threads keep getting the still-valid token") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher fetch{clock};
    REQUIRE(cache.get("system", "r", [&] { return fetch(); }));
    clock.advance(3400s);  // due for refresh, still valid

    std::atomic<bool> in_fetch{false};
    std::atomic<bool> release{false};
    std::thread leader([&] {
        auto r = cache.get("system", "r", [&]() -> azmi::result<azmi::access_token> {
            in_fetch = true;
            while (!release) std::this_thread::sleep_for(1ms);
            return azmi::access_token("fresh", clock.now() + 3600s, clock.now() + 3300s);
        });
        CHECK(r->token() == "fresh");
    });
    while (!in_fetch) std::this_thread::sleep_for(1ms);
    // The leader is blocked inside fetch: this caller must not wait for it.
    auto meanwhile = cache.get("system", "r", [&] { return fetch(); });
    CHECK(meanwhile->token() == "token-1");
    release = true;
    leader.join();
    CHECK(cache.get("system", "r", [&] { return fetch(); })->token() == "fresh");
    CHECK(fetch.calls == 1);
}

TEST_CASE("token_cache: every thread sees a refreshed token after it is published") {
    fake_clock clock;
    cache_t cache(clock);
    counting_fetcher fetch{clock};
    auto f = [&] { return fetch(); };
    REQUIRE(cache.get("system", "r", f)->token() == "token-1");
    std::vector<std::thread> readers;
    std::atomic<int> stale{0};
    std::atomic<bool> stop{false};
    for (int i = 0; i < 4; ++i) {
        readers.emplace_back([&] {
            while (!stop) {
                auto r = cache.get("system", "r", f);
                if (!r) ++stale;
            }
        });
    }
    clock.advance(3400s);
    std::this_thread::sleep_for(20ms);
    stop = true;
    for (auto& t : readers) t.join();
    CHECK(stale == 0);
    CHECK(cache.get("system", "r", f)->token() == "token-2");
    CHECK(fetch.calls == 2);
}

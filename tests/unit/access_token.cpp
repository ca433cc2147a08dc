// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/access_token.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <chrono>       // seconds, system_clock
#include <optional>     // optional
#include <string>       // string
#include <type_traits>  // is_nothrow_*
#include <utility>      // move

using namespace std::chrono_literals;
using azmi::access_token;

namespace {
const access_token::time_point t0{std::chrono::seconds(1'700'000'000)};  // 2023-11-14 22:13:20 UTC
}  // namespace

TEST_CASE("access_token: a default token is empty and already expired") {
    const access_token t;
    CHECK(t.empty());
    CHECK(t.token().empty());
    CHECK(t.expires_on() == access_token::time_point{});
    CHECK(t.refresh_at() == access_token::time_point{});
    CHECK(t.expired(t0));
    CHECK(t.expired(access_token::time_point{}));
    // Two default tokens share the same (absent) buffer.
    CHECK(t == access_token{});
}

TEST_CASE("access_token: accessors return what it was built with") {
    const access_token t("eyJ0eXAi.payload.sig", t0 + 3600s, t0 + 1800s);
    CHECK(t.token() == "eyJ0eXAi.payload.sig");
    CHECK_FALSE(t.empty());
    CHECK(t.expires_on() == t0 + 3600s);
    CHECK(t.refresh_at() == t0 + 1800s);
}

TEST_CASE("access_token: refresh_at defaults to expires_on") {
    const access_token t("tok", t0 + 3600s);
    CHECK(t.refresh_at() == t0 + 3600s);
    CHECK(t.refresh_at() == t.expires_on());

    // An explicit "unset" time point means the same thing.
    const access_token u("tok", t0 + 60s, access_token::time_point{});
    CHECK(u.refresh_at() == t0 + 60s);
}

TEST_CASE("access_token: an empty text makes an empty token") {
    const access_token t("", t0 + 3600s);
    CHECK(t.empty());
    CHECK(t.token().empty());
    CHECK(t.expires_on() == t0 + 3600s);
}

TEST_CASE("access_token: expired(now) is true from expires_on on") {
    const access_token t("tok", t0);
    CHECK_FALSE(t.expired(t0 - 1s));
    CHECK_FALSE(t.expired(t0 - 1ns));
    CHECK(t.expired(t0));  // the instant of expiry is already too late
    CHECK(t.expired(t0 + 1s));
    // Refresh time does not change expiry.
    const access_token early("tok", t0 + 100s, t0 + 10s);
    CHECK_FALSE(early.expired(t0 + 50s));
}

TEST_CASE("access_token: copies share the token buffer instead of copying the secret") {
    const access_token original("secret-token-text", t0 + 3600s);
    const access_token copy = original;  // NOLINT(performance-unnecessary-copy-initialization): the point
    CHECK(copy.token().data() == original.token().data());
    CHECK(&copy.token() == &original.token());

    access_token assigned;
    assigned = copy;
    CHECK(assigned.token().data() == original.token().data());

    const char* before = original.token().data();
    access_token source = original;
    const access_token moved = std::move(source);
    CHECK(moved.token().data() == before);
    CHECK(moved.token() == "secret-token-text");
}

TEST_CASE("access_token: a copy keeps the text alive after the original is gone") {
    std::optional<access_token> original;
    original.emplace("outlives-original", t0 + 60s);
    const access_token copy = *original;
    original.reset();
    CHECK(copy.token() == "outlives-original");
    CHECK_FALSE(copy.empty());
    CHECK(copy.expires_on() == t0 + 60s);
}

TEST_CASE("access_token: copying and moving never throw") {
    static_assert(std::is_nothrow_copy_constructible_v<access_token>, "a pointer copy");
    static_assert(std::is_nothrow_move_constructible_v<access_token>, "a pointer move");
    static_assert(std::is_nothrow_copy_assignable_v<access_token>, "a pointer copy");
    static_assert(noexcept(std::declval<const access_token&>().token()), "cheap accessor");
    CHECK(std::is_nothrow_copy_constructible_v<access_token>);
}

TEST_CASE("access_token: operator== compares by buffer or by text") {
    const access_token a("text-one", t0 + 3600s);
    const access_token same_buffer = a;
    const access_token same_text("text-one", t0 + 3600s);
    const access_token other_text("text-two", t0 + 3600s);

    CHECK(a == same_buffer);
    CHECK(a == same_text);  // separate buffers, same text
    CHECK(a.token().data() != same_text.token().data());
    CHECK(a != other_text);
    CHECK_FALSE(a == other_text);
    CHECK_FALSE(a != same_text);

    // Equality is about the token text only: a different lifetime is still the same token.
    const access_token same_text_later("text-one", t0 + 7200s, t0 + 100s);
    CHECK(a == same_text_later);

    // An empty-text token equals a default one (neither holds a usable token).
    CHECK(access_token("", t0) == access_token{});
    CHECK(a != access_token{});
}

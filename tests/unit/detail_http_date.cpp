// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/http_date.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <chrono>   // system_clock, seconds
#include <clocale>  // setlocale
#include <ctime>    // gmtime_r, strftime
#include <string>   // string
#include <thread>   // thread
#include <vector>   // vector

using azmi::detail::format_http_date;
using azmi::detail::parse_http_date;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {
system_clock::time_point at(long long epoch_seconds) { return system_clock::time_point(seconds(epoch_seconds)); }
}  // namespace

TEST_CASE("detail_http_date: formats RFC 1123 GMT dates") {
    CHECK(format_http_date(at(1705312800)) == "Mon, 15 Jan 2024 10:00:00 GMT");  // REST-SPEC 3.2 vectors
    CHECK(format_http_date(at(0)) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(format_http_date(at(784111777)) == "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110 example
    CHECK(format_http_date(at(951782400)) == "Tue, 29 Feb 2000 00:00:00 GMT");  // leap day of a /400 year
    CHECK(format_http_date(at(4107542399)) == "Sun, 28 Feb 2100 23:59:59 GMT");  // 2100 is no leap year
    CHECK(format_http_date(at(4107542400)) == "Mon, 01 Mar 2100 00:00:00 GMT");
    CHECK(format_http_date(at(-1)) == "Wed, 31 Dec 1969 23:59:59 GMT");
    // Sub-second parts are dropped, not rounded.
    CHECK(format_http_date(at(1705312800) + std::chrono::milliseconds(999)) == "Mon, 15 Jan 2024 10:00:00 GMT");
}

TEST_CASE("detail_http_date: agrees with gmtime for a sweep of instants") {
    for (long long t = 0; t < 4102444800LL; t += 7919LL * 3600 + 13) {
        std::time_t tt = static_cast<std::time_t>(t);
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char buf[64];
        std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        REQUIRE(format_http_date(at(t)) == std::string(buf));
        REQUIRE(parse_http_date(buf) == at(t));
    }
}

TEST_CASE("detail_http_date: parses IMF-fixdate and refuses everything else") {
    CHECK(parse_http_date("Mon, 15 Jan 2024 10:00:00 GMT") == at(1705312800));
    CHECK_FALSE(parse_http_date("").has_value());
    CHECK_FALSE(parse_http_date("Monday, 15-Jan-24 10:00:00 GMT").has_value());
    CHECK_FALSE(parse_http_date("Mon, 15 Jan 2024 10:00:00 UTC").has_value());
    CHECK_FALSE(parse_http_date("Mon, 31 Feb 2024 10:00:00 GMT").has_value());
    CHECK_FALSE(parse_http_date("Mon, 15 Foo 2024 10:00:00 GMT").has_value());
    CHECK_FALSE(parse_http_date("Xyz, 15 Jan 2024 10:00:00 GMT").has_value());
    CHECK_FALSE(parse_http_date("Mon, 15 Jan 2024 25:00:00 GMT").has_value());
    CHECK_FALSE(parse_http_date("Mon, 1a Jan 2024 10:00:00 GMT").has_value());
}

TEST_CASE("detail_http_date: independent of the C locale and safe from many threads") {
    const char* old = std::setlocale(LC_ALL, nullptr);
    const std::string saved = old != nullptr ? old : "C";
    std::setlocale(LC_ALL, "de_DE.UTF-8");  // may not exist; then nothing changes, still a valid test
    std::vector<std::thread> threads;
    std::vector<int> ok(8, 0);
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([i, &ok] {
            int good = 0;
            for (int k = 0; k < 2000; ++k) good += format_http_date(at(1705312800)) == "Mon, 15 Jan 2024 10:00:00 GMT";
            ok[static_cast<std::size_t>(i)] = good;
        });
    for (auto& t : threads) t.join();
    std::setlocale(LC_ALL, saved.c_str());
    for (int good : ok) CHECK(good == 2000);
}

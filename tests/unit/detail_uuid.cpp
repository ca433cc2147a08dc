// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/uuid.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <mutex>   // mutex
#include <set>     // set
#include <string>  // string
#include <thread>  // thread
#include <vector>  // vector

namespace {
bool is_uuid_v4(const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}
}  // namespace

TEST_CASE("detail_uuid: version 4, RFC 4122 variant, lowercase canonical form") {
    for (int i = 0; i < 1000; ++i) {
        const std::string id = azmi::detail::make_uuid_v4();
        CAPTURE(id);
        REQUIRE(is_uuid_v4(id));
    }
}

TEST_CASE("detail_uuid: unique across threads") {
    std::mutex m;
    std::set<std::string> all;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            std::vector<std::string> mine;
            for (int i = 0; i < 2000; ++i) mine.push_back(azmi::detail::make_uuid_v4());
            std::lock_guard<std::mutex> lock(m);
            all.insert(mine.begin(), mine.end());
        });
    for (auto& t : threads) t.join();
    CHECK(all.size() == 16000);
}

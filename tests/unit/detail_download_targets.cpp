// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/download_targets.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <atomic>      // atomic
#include <cstdint>     // uint64_t
#include <cstdio>      // remove
#include <fstream>     // ifstream
#include <iterator>    // istreambuf_iterator
#include <string>      // string
#include <thread>      // thread
#include <vector>      // vector

TEST_CASE("detail_download_targets: a file written from several threads past the writeback steps is exact") {
    // 20 MiB in 64 KiB pieces from 4 threads crosses the 8 MiB writeback step twice, from
    // whichever thread gets there; the committed file must hold every byte in its place.
    const std::string path = "azmi-download-targets-test.bin";
    std::remove(path.c_str());
    constexpr std::uint64_t piece = 64 * 1024;
    constexpr std::uint64_t pieces = 320;
    {
        azmi::detail::file_target target(path, true);
        REQUIRE(target.prepare().has_value());
        REQUIRE(target.open(piece * pieces).has_value());
        std::atomic<int> failed_writes{0};
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < 4; ++t)
            threads.emplace_back([&target, &failed_writes, t] {
                for (std::uint64_t i = t; i < pieces; i += 4) {
                    const std::string bytes(piece, static_cast<char>('a' + i % 26));
                    if (!target.write_at(i * piece, bytes)) ++failed_writes;
                }
            });
        for (auto& th : threads) th.join();
        REQUIRE(failed_writes == 0);
        REQUIRE(target.commit().has_value());
    }
    std::ifstream in(path, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(data.size() == piece * pieces);
    for (std::uint64_t i = 0; i < pieces; ++i) {
        CAPTURE(i);
        REQUIRE(data.find_first_not_of(static_cast<char>('a' + i % 26), i * piece) >= (i + 1) * piece);
    }
    std::remove(path.c_str());
}

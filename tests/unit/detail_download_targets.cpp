// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/download_targets.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <atomic>      // atomic
#include <cstddef>     // byte
#include <cstdint>     // uint64_t
#include <cstdio>      // remove
#include <fstream>     // ifstream
#include <iterator>    // istreambuf_iterator
#include <string>      // string
#include <string_view> // string_view
#include <thread>      // thread
#include <vector>      // vector

namespace {

// 20 MiB in 64 KiB pieces, piece i filled with the letter 'a' + i % 26.
constexpr std::uint64_t piece = 64 * 1024;
constexpr std::uint64_t pieces = 320;

char piece_letter(std::uint64_t i) { return static_cast<char>('a' + i % 26); }

/// Writes every piece into `target` from 4 threads (thread t takes pieces t, t + 4, …), from the
/// start or, with `backwards`, from the far end first; returns how many writes failed.
int write_pieces(azmi::detail::download_target& target, bool backwards) {
    std::atomic<int> failed_writes{0};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (std::uint64_t k = t; k < pieces; k += 4) {
                const std::uint64_t i = backwards ? pieces - 1 - k : k;
                if (!target.write_at(i * piece, std::string(piece, piece_letter(i)))) ++failed_writes;
            }
        });
    for (auto& th : threads) th.join();
    return failed_writes;
}

/// Every piece holds its own letter and nothing else.
void check_pieces(std::string_view data) {
    REQUIRE(data.size() == piece * pieces);
    for (std::uint64_t i = 0; i < pieces; ++i) {
        CAPTURE(i);
        REQUIRE(data.find_first_not_of(piece_letter(i), i * piece) >= (i + 1) * piece);
    }
}

}  // namespace

TEST_CASE("detail_download_targets: a file written from several threads past the writeback steps is exact") {
    // 20 MiB from 4 threads crosses the 8 MiB writeback step twice, from whichever thread gets
    // there; the committed file must hold every byte in its place.
    const std::string path = "azmi-download-targets-test.bin";
    std::remove(path.c_str());
    {
        azmi::detail::file_target target(path, true);
        REQUIRE(target.prepare().has_value());
        REQUIRE(target.open(piece * pieces).has_value());
        REQUIRE(write_pieces(target, false) == 0);
        REQUIRE(target.commit().has_value());
    }
    std::ifstream in(path, std::ios::binary);
    check_pieces(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    std::remove(path.c_str());
}

TEST_CASE("detail_download_targets: a large container grown in the background receives every byte in place") {
    // 20 MiB is past `background_sizing_from`, so `open` sizes only the first step and a helper
    // thread grows the rest while 4 threads write pieces from the far end first, so most writes
    // overtake the growth and must wait for it.
    static_assert(piece * pieces > azmi::detail::container_target::background_sizing_from, "must exercise the helper");

    SUBCASE("a string") {
        std::string out;
        azmi::detail::container_buffer<std::string> buffer(out);
        {
            azmi::detail::container_target target(buffer);
            REQUIRE(target.open(piece * pieces).has_value());
            REQUIRE(write_pieces(target, true) == 0);
            REQUIRE(target.commit().has_value());
        }
        check_pieces(out);
    }
    SUBCASE("a vector of bytes, read back in place for the whole-blob hash") {
        std::vector<std::byte> out;
        azmi::detail::container_buffer<std::vector<std::byte>> buffer(out);
        azmi::detail::container_target target(buffer);
        REQUIRE(target.open(piece * pieces).has_value());
        REQUIRE(write_pieces(target, true) == 0);
        std::string read_back;
        REQUIRE(target.read_back(0, piece * pieces, [&](std::string_view bytes) { read_back += bytes; }).has_value());
        check_pieces(read_back);
        REQUIRE(target.commit().has_value());
        CHECK(out.size() == piece * pieces);
    }
}

TEST_CASE("detail_download_targets: a container target refuses writes past the blob and stops growing on abort") {
    std::string out;
    azmi::detail::container_buffer<std::string> buffer(out);
    constexpr std::uint64_t size = std::uint64_t(64) << 20;
    {
        azmi::detail::container_target target(buffer);
        REQUIRE(target.open(size).has_value());
        // Past the end: an error naming the write, never a write out of bounds (or a wait forever).
        const auto past = target.write_at(size - 1, "xy");
        REQUIRE_FALSE(past.has_value());
        CHECK(past.error().code == azmi::errc::io);
        CHECK(past.error().message.find("past the target's end") != std::string::npos);
        // A write at the far end waits for the growth and then lands.
        REQUIRE(target.write_at(size - 2, "xy").has_value());
        target.abort();  // joins the helper; the target is then dead
    }
    CHECK(out.size() == size);  // the helper had grown it all before the far write could land
    CHECK(out.compare(size - 2, 2, "xy") == 0);

    std::string other;
    azmi::detail::container_buffer<std::string> other_buffer(other);
    {
        azmi::detail::container_target target(other_buffer);
        REQUIRE(target.open(size).has_value());
        REQUIRE(target.write_at(0, "first").has_value());  // the first step is sized in `open`
        target.abort();                                     // stops the helper wherever it is
    }
    CHECK(other.size() <= size);
    CHECK(other.compare(0, 5, "first") == 0);
}

TEST_CASE("detail_download_targets: a small container is sized whole in open") {
    std::vector<unsigned char> out;
    azmi::detail::container_buffer<std::vector<unsigned char>> buffer(out);
    azmi::detail::container_target target(buffer);
    REQUIRE(target.open(1000).has_value());
    CHECK(out.size() == 1000);  // already: nothing is left to grow
    REQUIRE(target.write_at(990, "0123456789").has_value());
    REQUIRE(target.commit().has_value());
    CHECK(std::string(out.begin() + 990, out.end()) == "0123456789");
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/crc64.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <cstddef>      // size_t
#include <cstdint>      // uint64_t
#include <string>       // string
#include <string_view>  // string_view

namespace {

// Bit-at-a-time reference straight from the REST-SPEC §1.4 definition, independent of the tables.
std::uint64_t reference_crc64(std::string_view data) {
    std::uint64_t crc = ~std::uint64_t{0};
    for (char ch : data) {
        crc ^= static_cast<unsigned char>(ch);
        for (int bit = 0; bit < 8; ++bit) crc = (crc & 1U) != 0 ? (crc >> 1) ^ 0x9A6C9329AC4BC9B5ULL : crc >> 1;
    }
    return ~crc;
}

std::string pseudo_random_bytes(std::size_t n) {
    std::string out(n, '\0');
    std::uint64_t x = 0x243F6A8885A308D3ULL;
    for (auto& c : out) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x & 0xFF);
    }
    return out;
}

}  // namespace

TEST_CASE("crc64: the five REST-SPEC vectors, value and header form") {
    struct vector {
        std::string input;
        std::uint64_t value;
        const char* header;
    };
    const vector vectors[] = {
        {"", 0x0000000000000000ULL, "AAAAAAAAAAA="},
        {"123456789", 0xae8b14860a799888ULL, "iJh5CoYUi64="},
        {"Hello Azure!", 0xc7a37fbfa4d9d80eULL, "DtjZpL9/o8c="},
        {"hello world\n", 0x0f780e8481d2a21fULL, "H6LSgYQOeA8="},
        {std::string(1024 * 1024, '\0'), 0xbd7696385da31b46ULL, "RhujXTiWdr0="},
    };
    for (const auto& v : vectors) {
        CAPTURE(v.header);
        CHECK(azmi::crc64::compute(v.input) == v.value);
        azmi::crc64 crc;
        crc.update(v.input);
        CHECK(crc.value() == v.value);
        CHECK(crc.base64() == v.header);
    }
}

TEST_CASE("crc64: the table implementation equals the bit-at-a-time definition") {
    const std::string data = pseudo_random_bytes(4096 + 37);
    // Every length up to 70 covers the 16-byte loop, the byte tail and their boundary.
    for (std::size_t n = 0; n <= 70; ++n) {
        CAPTURE(n);
        CHECK(azmi::crc64::compute(std::string_view(data).substr(0, n)) ==
              reference_crc64(std::string_view(data).substr(0, n)));
    }
    CHECK(azmi::crc64::compute(data) == reference_crc64(data));
    // Unaligned starts: the loads must not assume alignment.
    for (std::size_t offset = 1; offset < 16; ++offset)
        CHECK(azmi::crc64::compute(std::string_view(data).substr(offset, 1000)) ==
              reference_crc64(std::string_view(data).substr(offset, 1000)));
}

TEST_CASE("crc64: streaming in arbitrary splits equals one shot") {
    const std::string data = pseudo_random_bytes(1000);
    const std::uint64_t expected = azmi::crc64::compute(data);
    for (std::size_t split = 0; split <= data.size(); split += 7) {
        azmi::crc64 crc;
        crc.update(std::string_view(data).substr(0, split));
        crc.update(std::string_view(data).substr(split));
        CHECK(crc.value() == expected);
    }
    // Uneven chunk sizes, including empty updates.
    for (std::size_t chunk : {1U, 3U, 15U, 16U, 17U, 31U, 64U, 333U}) {
        azmi::crc64 crc;
        for (std::size_t i = 0; i < data.size(); i += chunk) {
            crc.update({});
            crc.update(std::string_view(data).substr(i, chunk));
        }
        CHECK(crc.value() == expected);
    }
}

TEST_CASE("crc64: seeding with a previous value continues the stream; reset starts over") {
    const std::string a = "Hello ";
    const std::string b = "Azure!";
    const std::uint64_t first = azmi::crc64::compute(a);
    CHECK(azmi::crc64::compute(b, first) == 0xc7a37fbfa4d9d80eULL);
    azmi::crc64 crc(first);
    crc.update(b);
    CHECK(crc.value() == 0xc7a37fbfa4d9d80eULL);
    crc.reset();
    CHECK(crc.value() == 0);
    CHECK(crc.base64() == "AAAAAAAAAAA=");
    crc.update("123456789");
    CHECK(crc.base64() == "iJh5CoYUi64=");
}

// The tables live in impl/crc64.ipp: visible here in header-only mode only (in separate
// compilation they are internal to the compiled library).
#if AZMI_HEADER_ONLY
TEST_CASE("crc64: tables are compile-time constants") {
    static_assert(azmi::detail::crc64_tables.table[0][0] == 0, "table[0][0]");
    static_assert(azmi::detail::crc64_tables.table[0][128] == azmi::detail::crc64_polynomial, "reflected top bit");
    CHECK(azmi::detail::crc64_tables.table[0][1] != 0);
}
#endif

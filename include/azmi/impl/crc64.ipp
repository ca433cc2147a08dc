// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of crc64.hpp: the slicing-by-16 tables and loop, and `crc64::base64`.

#include <azmi/crc64.hpp>

#include <azmi/detail/base64.hpp>

#include <cstddef>      // size_t
#include <cstdint>      // uint64_t
#include <cstring>      // memcpy
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

/// `table[k][b]` is the CRC register contribution of byte `b` followed by `k` zero bytes.
struct crc64_slice_tables {
    std::uint64_t table[16][256];
};

constexpr crc64_slice_tables make_crc64_slice_tables() noexcept {
    crc64_slice_tables out{};
    for (unsigned b = 0; b < 256; ++b) {
        std::uint64_t crc = b;
        for (int bit = 0; bit < 8; ++bit) crc = (crc & 1U) != 0 ? (crc >> 1) ^ crc64_polynomial : crc >> 1;
        out.table[0][b] = crc;
    }
    for (int k = 1; k < 16; ++k)
        for (unsigned b = 0; b < 256; ++b) {
            const std::uint64_t prev = out.table[k - 1][b];
            out.table[k][b] = (prev >> 8) ^ out.table[0][prev & 0xFF];
        }
    return out;
}

/// Built by the compiler; one merged copy per program (inline variable).
inline constexpr crc64_slice_tables crc64_tables = make_crc64_slice_tables();

inline std::uint64_t load_le64(const unsigned char* p) noexcept {
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);  // one unaligned load on little-endian targets
    return v;
#else
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
#endif
}

inline std::size_t crc64_byte(std::uint64_t v, int index) noexcept {
    return static_cast<std::size_t>((v >> (8 * index)) & 0xFF);
}

/// Advances the raw (not inverted) CRC register over `size` bytes.
inline std::uint64_t crc64_advance(std::uint64_t reg, const unsigned char* p, std::size_t size) noexcept {
    const auto& t = crc64_tables.table;
    while (size >= 16) {
        const std::uint64_t a = load_le64(p) ^ reg;
        const std::uint64_t b = load_le64(p + 8);
        reg = t[15][crc64_byte(a, 0)] ^ t[14][crc64_byte(a, 1)] ^ t[13][crc64_byte(a, 2)] ^ t[12][crc64_byte(a, 3)] ^
              t[11][crc64_byte(a, 4)] ^ t[10][crc64_byte(a, 5)] ^ t[9][crc64_byte(a, 6)] ^ t[8][crc64_byte(a, 7)] ^
              t[7][crc64_byte(b, 0)] ^ t[6][crc64_byte(b, 1)] ^ t[5][crc64_byte(b, 2)] ^ t[4][crc64_byte(b, 3)] ^
              t[3][crc64_byte(b, 4)] ^ t[2][crc64_byte(b, 5)] ^ t[1][crc64_byte(b, 6)] ^ t[0][crc64_byte(b, 7)];
        p += 16;
        size -= 16;
    }
    while (size-- > 0) reg = t[0][(reg ^ *p++) & 0xFF] ^ (reg >> 8);
    return reg;
}

}  // namespace detail

AZMI_DECL void crc64::update(std::string_view data) noexcept {
    value_ = ~detail::crc64_advance(~value_, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

AZMI_DECL std::string crc64::base64() const {
    char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((value_ >> (8 * i)) & 0xFF);
    return detail::base64_encode(std::string_view(bytes, sizeof bytes));
}

AZMI_END_NAMESPACE

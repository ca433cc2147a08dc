// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Standard base64 (RFC 4648 §4, with padding), kept apart from crypto.hpp so that light headers
/// (crc64.hpp, connection_string.hpp) can encode and validate without pulling in OpenSSL.
/// crypto.hpp includes this file, so `detail::base64_encode`/`base64_decode` are reachable from
/// either header.

#include <azmi/detail/secure_wipe.hpp>
#include <azmi/error.hpp>
#include <azmi/version.hpp>

#include <cstddef>      // size_t
#include <cstdint>      // uint32_t
#include <string>       // string, to_string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

/// Encodes `bytes` as base64 with '=' padding; empty input gives "".
inline std::string base64_encode(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.resize((bytes.size() + 2) / 3 * 4);
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t i = 0;
    std::size_t o = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
        out[o++] = alphabet[(v >> 18) & 0x3F];
        out[o++] = alphabet[(v >> 12) & 0x3F];
        out[o++] = alphabet[(v >> 6) & 0x3F];
        out[o++] = alphabet[v & 0x3F];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest != 0) {
        std::uint32_t v = std::uint32_t{in[i]} << 16;
        if (rest == 2) v |= std::uint32_t{in[i + 1]} << 8;
        out[o++] = alphabet[(v >> 18) & 0x3F];
        out[o++] = alphabet[(v >> 12) & 0x3F];
        out[o++] = rest == 2 ? alphabet[(v >> 6) & 0x3F] : '=';
        out[o++] = '=';
    }
    return out;
}

/// The 6-bit value of a base64 character, or -1.
inline int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/// Decodes padded standard base64 strictly: the length must be a multiple of 4, only the
/// alphabet plus at most two trailing '=' are allowed, no whitespace, and the unused bits of
/// the last group must be zero (so every byte string has exactly one accepted encoding).
///
/// Failures are `errc::invalid_argument` whose message gives a reason and an offset but never
/// any of the input: the input is usually an account key. The output buffer is sized once
/// (no reallocation leaves copies behind) and wiped when decoding fails half-way.
inline result<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0)
        return error(errc::invalid_argument, "invalid base64: length " + std::to_string(text.size()) +
                                                 " is not a multiple of 4");
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
    std::string out;
    out.resize(text.size() / 4 * 3 - padding);
    std::size_t o = 0;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            int six = base64_value(c);
            if (six < 0) {
                // '=' is only valid as the final one or two characters of the text.
                if (c == '=' && last && k >= 4 - padding) {
                    six = 0;
                } else {
                    secure_wipe(out);
                    return error(errc::invalid_argument,
                                 std::string("invalid base64: ") + (c == '=' ? "misplaced '='" : "invalid character") +
                                     " at offset " + std::to_string(i + k));
                }
            }
            v = (v << 6) | static_cast<std::uint32_t>(six);
        }
        const std::size_t produce = last ? 3 - padding : 3;
        if (last && ((padding == 1 && (v & 0xFF) != 0) || (padding == 2 && (v & 0xFFFF) != 0))) {
            secure_wipe(out);
            return error(errc::invalid_argument, "invalid base64: non-zero padding bits in the last group");
        }
        out[o++] = static_cast<char>((v >> 16) & 0xFF);
        if (produce > 1) out[o++] = static_cast<char>((v >> 8) & 0xFF);
        if (produce > 2) out[o++] = static_cast<char>(v & 0xFF);
    }
    return out;
}

}  // namespace detail
AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Overwriting secrets before their memory is released, so freed heap pages and core dumps
/// do not keep tokens or keys around.

#include <azmi/version.hpp>

#include <cstddef>  // size_t
#include <string>   // string

AZMI_BEGIN_NAMESPACE
namespace detail {

/// Zeroes `size` bytes at `data` through a volatile pointer, which the optimiser may not drop.
inline void secure_wipe(void* data, std::size_t size) noexcept {
    volatile unsigned char* p = static_cast<volatile unsigned char*>(data);
    while (size-- > 0) *p++ = 0;
}

/// Zeroes a string's whole buffer (capacity, not just size) and empties it.
inline void secure_wipe(std::string& s) noexcept {
    if (s.capacity() > 0) secure_wipe(&s[0], s.capacity());
    s.clear();
}

}  // namespace detail
AZMI_END_NAMESPACE

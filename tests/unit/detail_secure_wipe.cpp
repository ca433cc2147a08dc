// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/secure_wipe.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <array>    // array
#include <cstddef>  // size_t
#include <string>   // string

namespace {

/// True when the `size` bytes at `p` are all zero.
bool all_zero(const char* p, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i)
        if (p[i] != '\0') return false;
    return true;
}

}  // namespace

TEST_CASE("detail_secure_wipe: a heap-allocated string is emptied and its whole buffer zeroed") {
    std::string secret;
    secret.reserve(256);  // well past any small-string buffer: the bytes live on the heap
    secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.signature";
    const std::size_t capacity = secret.capacity();
    REQUIRE(capacity >= 256);
    // Peek at the buffer the string owns. clear() keeps the allocation, so after the wipe this
    // pointer still points into memory the string owns and may be read.
    const char* buffer = secret.data();
    REQUIRE_FALSE(all_zero(buffer, secret.size()));

    azmi::detail::secure_wipe(secret);

    CHECK(secret.empty());
    CHECK(secret.size() == 0);
    REQUIRE(secret.data() == buffer);  // same allocation, so the check below is on the old bytes
    CHECK(secret.capacity() == capacity);
    CHECK(all_zero(buffer, capacity));  // the text and the spare capacity after it
}

TEST_CASE("detail_secure_wipe: a short string in the small-string buffer is zeroed too") {
    std::string secret = "k3y";
    const char* buffer = secret.data();
    const std::size_t capacity = secret.capacity();
    azmi::detail::secure_wipe(secret);
    CHECK(secret.empty());
    REQUIRE(secret.data() == buffer);
    CHECK(all_zero(buffer, capacity));
}

TEST_CASE("detail_secure_wipe: a wiped string can be reused") {
    std::string s = "first secret value, long enough to be on the heap";
    azmi::detail::secure_wipe(s);
    s = "next";
    CHECK(s == "next");
    azmi::detail::secure_wipe(s);
    azmi::detail::secure_wipe(s);  // wiping an empty string is harmless
    CHECK(s.empty());
}

TEST_CASE("detail_secure_wipe: the raw overload zeroes exactly the given bytes") {
    std::array<unsigned char, 16> bytes{};
    bytes.fill(0xAB);
    azmi::detail::secure_wipe(bytes.data() + 4, 8);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        CAPTURE(i);
        CHECK(bytes[i] == ((i >= 4 && i < 12) ? 0x00 : 0xAB));
    }
    azmi::detail::secure_wipe(bytes.data(), 0);  // zero bytes: nothing touched
    CHECK(bytes[0] == 0xAB);
}

TEST_CASE("detail_secure_wipe: never throws, so it is safe in destructors and deleters") {
    std::string s;
    static_assert(noexcept(azmi::detail::secure_wipe(s)), "string overload");
    static_assert(noexcept(azmi::detail::secure_wipe(static_cast<void*>(nullptr), 0)), "raw overload");
    azmi::detail::secure_wipe(static_cast<void*>(nullptr), 0);  // null with size 0 is allowed
    CHECK(s.empty());
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/crypto.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <string>       // string
#include <string_view>  // string_view
#include <utility>      // move

using azmi::detail::base64_decode;
using azmi::detail::base64_encode;
using azmi::detail::hex_encode;

TEST_CASE("detail_crypto: base64 encodes the RFC 4648 vectors") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_encode(std::string_view("\xff\xfe\x00", 3)) == "//4A");
}

TEST_CASE("detail_crypto: base64 round-trips every byte value and length") {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    for (std::size_t n = 0; n <= all.size(); n += 1) {
        const std::string bytes = all.substr(0, n);
        auto decoded = base64_decode(base64_encode(bytes));
        REQUIRE(decoded.has_value());
        CHECK(*decoded == bytes);
    }
}

TEST_CASE("detail_crypto: base64 decodes the RFC 4648 vectors and the Azurite key") {
    CHECK(base64_decode("").value().empty());
    CHECK(base64_decode("Zg==").value() == "f");
    CHECK(base64_decode("Zm8=").value() == "fo");
    CHECK(base64_decode("Zm9vYmFy").value() == "foobar");
    const auto key = base64_decode(
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==");
    REQUIRE(key.has_value());
    CHECK(key->size() == 64);
}

TEST_CASE("detail_crypto: base64 rejects bad characters, padding and length without echoing input") {
    const char* const bad[] = {
        "Zg=",        // length not a multiple of 4
        "Zm9v YmFy",  // whitespace
        "Zm9v\nYmFy", // newline
        "Zm9-",       // URL-safe alphabet is not accepted
        "Zm9_",
        "Z===",       // too much padding
        "Zg=a",       // '=' before the end
        "=Zm9",
        "Zm9vYg==Zm9v",  // padding in the middle
        "Zh==",       // non-zero padding bits ("Zg==" is canonical)
        "Zm9=",       // non-zero padding bits ("Zm8=" is canonical)
        "SECRETKEY*==",
    };
    for (const char* text : bad) {
        CAPTURE(text);
        auto r = base64_decode(text);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::invalid_argument);
        CHECK(r.error().message.find(text) == std::string::npos);
        CHECK(r.error().message.find("SECRET") == std::string::npos);
    }
    auto r = base64_decode("abc*");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("offset 3") != std::string::npos);
}

TEST_CASE("detail_crypto: MD5 matches the REST-SPEC range vector and RFC 1321") {
    CHECK(azmi::detail::md5_base64("hello worl") == "MLoPbz0kurDWXBJhiNDPVQ==");
    CHECK(azmi::detail::md5_base64("") == "1B2M2Y8AsgTpgAmY7PhCfg==");
    azmi::detail::md5_hasher h;
    h.update("abc");
    CHECK(hex_encode(h.final_raw()) == "900150983cd24fb0d6963f7d28e17f72");
}

TEST_CASE("detail_crypto: streaming MD5 equals one shot for any split, and resets after final") {
    const std::string data = "The quick brown fox jumps over the lazy dog, many times over and over again.";
    const std::string expected = azmi::detail::md5_base64(data);
    for (std::size_t split = 0; split <= data.size(); ++split) {
        azmi::detail::md5_hasher h;
        h.update(std::string_view(data).substr(0, split));
        h.update(std::string_view(data).substr(split));
        CHECK(h.final_base64() == expected);
    }
    azmi::detail::md5_hasher h;
    h.update("junk");
    (void)h.final_base64();
    h.update("hello worl");
    CHECK(h.final_base64() == "MLoPbz0kurDWXBJhiNDPVQ==");
}

TEST_CASE("detail_crypto: hashers are movable and a moved-from hasher starts afresh") {
    azmi::detail::md5_hasher a;
    a.update("hello ");
    azmi::detail::md5_hasher b = std::move(a);
    b.update("worl");
    CHECK(b.final_base64() == azmi::detail::md5_base64("hello worl"));
    a.update("hello worl");  // NOLINT(bugprone-use-after-move): documented as a fresh hasher
    CHECK(a.final_base64() == "MLoPbz0kurDWXBJhiNDPVQ==");

    azmi::detail::sha256_hasher s;
    s.update("ab");
    azmi::detail::sha256_hasher t(std::move(s));
    t.update("c");
    CHECK(t.final_hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("detail_crypto: SHA-256 matches FIPS 180-2 vectors") {
    CHECK(azmi::detail::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(azmi::detail::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    azmi::detail::sha256_hasher h;
    const std::string million_a(1000000, 'a');
    for (std::size_t i = 0; i < million_a.size(); i += 4096) h.update(std::string_view(million_a).substr(i, 4096));
    CHECK(h.final_hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    h.update("abc");
    CHECK(h.final_base64() == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST_CASE("detail_crypto: HMAC-SHA256 matches RFC 4231 test cases 1, 2 and 6") {
    CHECK(hex_encode(azmi::detail::hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hex_encode(azmi::detail::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex_encode(azmi::detail::hmac_sha256(std::string(131, '\xaa'),
                                               "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK(hex_encode(azmi::detail::hmac_sha256("", "")) ==
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

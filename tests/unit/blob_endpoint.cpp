// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/blob_endpoint.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <string>       // string
#include <string_view>  // string_view

using azmi::blob_endpoint;
using azmi::errc;

namespace {

std::string blob_url(const blob_endpoint& e, std::string_view container, std::string_view blob) {
    auto r = e.try_blob_url(container, blob);
    if (!r) FAIL_CHECK(r.error().message);
    REQUIRE(r.has_value());
    return *r;
}

void check_invalid(const azmi::result<void>& r, std::string_view what) {
    CAPTURE(what);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::invalid_argument);
}

}  // namespace

TEST_CASE("blob_endpoint: for_account builds the public-cloud host and sovereign suffixes") {
    CHECK(blob_endpoint::for_account("mystorage").url() == "https://mystorage.blob.core.windows.net");
    CHECK(blob_endpoint::for_account("mystorage", "core.chinacloudapi.cn").url() ==
          "https://mystorage.blob.core.chinacloudapi.cn");
    CHECK(blob_endpoint::for_account("abc", "core.usgovcloudapi.net").parts().host == "abc.blob.core.usgovcloudapi.net");
    const auto e = blob_endpoint::for_account("mystorage");
    CHECK(e.account_name() == "mystorage");
    CHECK(e.is_https());
    CHECK_FALSE(e.is_loopback());
}

TEST_CASE("blob_endpoint: the four REST-SPEC 2.4 account injections are refused") {
    for (std::string_view evil : {"evil.invalid#", "x@evil.invalid/", "evil.invalid/?", "evil.invalid:443/x?"}) {
        CAPTURE(evil);
        const auto r = blob_endpoint::try_for_account(evil);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::invalid_argument);
        // and through from_url's account argument too
        CHECK_FALSE(blob_endpoint::try_from_url("https://127.0.0.1:10000", evil).has_value());
    }
}

TEST_CASE("blob_endpoint: account names follow ^[a-z0-9]{3,24}$") {
    CHECK(azmi::validate_account_name("abc").has_value());
    CHECK(azmi::validate_account_name("devstoreaccount1").has_value());
    CHECK(azmi::validate_account_name(std::string(24, 'a')).has_value());
    check_invalid(azmi::validate_account_name("ab"), "too short");
    check_invalid(azmi::validate_account_name(std::string(25, 'a')), "too long");
    check_invalid(azmi::validate_account_name("MyStorage"), "uppercase");
    check_invalid(azmi::validate_account_name("my-storage"), "dash");
    check_invalid(azmi::validate_account_name(""), "empty");
}

TEST_CASE("blob_endpoint: endpoint suffixes are DNS names only") {
    for (std::string_view bad : {"", ".core.windows.net", "core..net", "evil.invalid/", "evil.invalid#", "x@y", "a:443"}) {
        CAPTURE(bad);
        CHECK_FALSE(blob_endpoint::try_for_account("mystorage", bad).has_value());
    }
}

TEST_CASE("blob_endpoint: container names follow the REST-SPEC 2.4 regex incl. $root $logs $web") {
    for (std::string_view ok : {"abc", "my-container", "a1-b2-c3", "$root", "$logs", "$web", "0aa"}) {
        CAPTURE(ok);
        CHECK(azmi::validate_container_name(ok).has_value());
    }
    CHECK(azmi::validate_container_name(std::string(63, 'a')).has_value());
    for (std::string_view bad : {"ab", "-abc", "abc-", "a--b", "ABC", "a_b", "a.b", "$other", "$ROOT", "a/b", "a?b",
                                 "a#b", "evil.invalid#", "c/../x", ""}) {
        check_invalid(azmi::validate_container_name(bad), bad);
    }
    check_invalid(azmi::validate_container_name(std::string(64, 'a')), "64 chars");
}

TEST_CASE("blob_endpoint: blob names are percent-encoded per segment as UTF-8") {
    const auto e = blob_endpoint::for_account("acct");
    const std::string base = "https://acct.blob.core.windows.net/c0n/";
    CHECK(blob_url(e, "c0n", "plain.txt") == base + "plain.txt");
    CHECK(blob_url(e, "c0n", "dir/sub/file.bin") == base + "dir/sub/file.bin");
    CHECK(blob_url(e, "c0n", "with space") == base + "with%20space");
    CHECK(blob_url(e, "c0n", "a+b.txt") == base + "a%2Bb.txt");
    CHECK(blob_url(e, "c0n", "q?x") == base + "q%3Fx");
    CHECK(blob_url(e, "c0n", "h#frag") == base + "h%23frag");
    CHECK(blob_url(e, "c0n", "100%") == base + "100%25");
    CHECK(blob_url(e, "c0n", "dir/h\xC3\xA9llo w\xC3\xB6rld.txt") == base + "dir/h%C3%A9llo%20w%C3%B6rld.txt");
    CHECK(blob_url(e, "c0n", "\xE6\x97\xA5\xE6\x9C\xAC") == base + "%E6%97%A5%E6%9C%AC");
    CHECK(blob_url(e, "c0n", "emoji\xF0\x9F\x98\x80") == base + "emoji%F0%9F%98%80");
    CHECK(blob_url(e, "c0n", "keep-._~") == base + "keep-._~");
    CHECK(blob_url(e, "c0n", "a&b=c;d@e:f") == base + "a%26b%3Dc%3Bd%40e%3Af");
    // Dot segments are names, sent as they are (the transport keeps them: CURLOPT_PATH_AS_IS).
    CHECK(blob_url(e, "c0n", "a/../b") == base + "a/../b");
    CHECK(blob_url(e, "c0n", "./x") == base + "./x");
    CHECK(blob_url(e, "$root", "top.txt") == "https://acct.blob.core.windows.net/$root/top.txt");
}

TEST_CASE("blob_endpoint: blob names: empty, control characters, bad UTF-8 and over 1024 chars are refused") {
    check_invalid(azmi::validate_blob_name(""), "empty");
    check_invalid(azmi::validate_blob_name(std::string("a\0b", 3)), "NUL");
    check_invalid(azmi::validate_blob_name("line\nbreak"), "LF");
    check_invalid(azmi::validate_blob_name("tab\there"), "TAB");
    check_invalid(azmi::validate_blob_name("del\x7F"), "DEL");
    check_invalid(azmi::validate_blob_name("c1\xC2\x85"), "C1 NEL");
    check_invalid(azmi::validate_blob_name("\xFF"), "invalid lead byte");
    check_invalid(azmi::validate_blob_name("\xC3"), "truncated");
    check_invalid(azmi::validate_blob_name("\xC0\xAF"), "overlong slash");
    check_invalid(azmi::validate_blob_name("\xE0\x80\xAF"), "overlong 3-byte");
    check_invalid(azmi::validate_blob_name("\xED\xA0\x80"), "surrogate");
    check_invalid(azmi::validate_blob_name("\xF4\x90\x80\x80"), "> U+10FFFF");
    check_invalid(azmi::validate_blob_name("a\xE2\x82"), "truncated 3-byte");

    CHECK(azmi::validate_blob_name(std::string(1024, 'x')).has_value());
    check_invalid(azmi::validate_blob_name(std::string(1025, 'x')), "1025 chars");
    // The limit counts characters, not bytes: 1024 two-byte characters are fine.
    std::string wide;
    for (int i = 0; i < 1024; ++i) wide += "\xC3\xA9";
    CHECK(azmi::validate_blob_name(wide).has_value());
    check_invalid(azmi::validate_blob_name(wide + "x"), "1025 code points");

    std::string deep;
    for (int i = 0; i < 254; ++i) deep += i == 0 ? "a" : "/a";
    CHECK(azmi::validate_blob_name(deep).has_value());
    check_invalid(azmi::validate_blob_name(deep + "/a"), "255 segments");

    // Messages show the name with control bytes escaped.
    const auto r = azmi::validate_blob_name("bad\nname");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("bad\\x0Aname") != std::string::npos);
    CHECK(r.error().message.find('\n') == std::string::npos);
}

TEST_CASE("blob_endpoint: from_url keeps Azurite's path-style prefix and any port") {
    const auto e = blob_endpoint::from_url("https://127.0.0.1:10000/devstoreaccount1", "devstoreaccount1");
    CHECK(e.url() == "https://127.0.0.1:10000/devstoreaccount1");
    CHECK(e.is_loopback());
    CHECK(e.parts().port == 10000);
    CHECK(blob_url(e, "mycontainer", "dir/h\xC3\xA9llo w\xC3\xB6rld.txt") ==
          "https://127.0.0.1:10000/devstoreaccount1/mycontainer/dir/h%C3%A9llo%20w%C3%B6rld.txt");
    CHECK(e.try_container_url("mycontainer").value() == "https://127.0.0.1:10000/devstoreaccount1/mycontainer");
    // Trailing slashes are dropped; an account may be omitted (SAS, anonymous).
    CHECK(blob_endpoint::from_url("http://localhost:10000/devstoreaccount1/").url() ==
          "http://localhost:10000/devstoreaccount1");
    CHECK(blob_endpoint::from_url("https://acct.blob.core.windows.net/").url() == "https://acct.blob.core.windows.net");
    CHECK(blob_endpoint::from_url("https://acct.blob.core.windows.net").account_name().empty());
}

TEST_CASE("blob_endpoint: from_url refuses userinfo, query, fragment, odd schemes and path tricks") {
    for (std::string_view bad :
         {"https://user@evil.invalid", "https://acct.blob.core.windows.net?sv=1&sig=x", "https://a.b#frag", "ftp://a.b",
          "acct.blob.core.windows.net", "https://a.b/x/../y", "https://a.b/%2e%2e", "https://a.b/p?q", "https://a.b/ x",
          "https://evil.invalid#.blob.core.windows.net"}) {
        CAPTURE(bad);
        const auto r = blob_endpoint::try_from_url(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::invalid_argument);
    }
    const auto sas = blob_endpoint::try_from_url("https://acct.blob.core.windows.net?sv=1&sig=secret");
    REQUIRE_FALSE(sas.has_value());
    CHECK(sas.error().message.find("secret") == std::string::npos);
}

TEST_CASE("blob_endpoint: verify refuses a URL that leaves the endpoint") {
    const auto e = blob_endpoint::from_url("https://127.0.0.1:10000/devstoreaccount1", "devstoreaccount1");
    CHECK(e.verify("https://127.0.0.1:10000/devstoreaccount1/c0n/b").has_value());
    CHECK_FALSE(e.verify("https://127.0.0.1:10001/devstoreaccount1/c0n/b").has_value());
    CHECK_FALSE(e.verify("http://127.0.0.1:10000/devstoreaccount1/c0n/b").has_value());
    CHECK_FALSE(e.verify("https://evil.invalid:10000/devstoreaccount1/c0n/b").has_value());
    CHECK_FALSE(e.verify("https://127.0.0.1:10000/otheraccount/c0n/b").has_value());
    CHECK_FALSE(e.verify("https://127.0.0.1:10000/devstoreaccount1/c0n/b?comp=list").has_value());
    CHECK_FALSE(e.verify("https://127.0.0.1:10000/devstoreaccount1x/c").has_value());
}

TEST_CASE("blob_endpoint: invalid container or blob names never produce a URL") {
    const auto e = blob_endpoint::for_account("acct");
    CHECK(e.try_blob_url("evil.invalid#", "b").error().code == errc::invalid_argument);
    CHECK(e.try_blob_url("c0n", "").error().code == errc::invalid_argument);
    CHECK(e.try_container_url("x@evil.invalid/").error().code == errc::invalid_argument);
}

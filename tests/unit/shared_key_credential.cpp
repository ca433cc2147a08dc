// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/shared_key_credential.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <string>       // string
#include <string_view>  // string_view

namespace {

// The Azurite development account (REST-SPEC §3.2); public, not a secret.
constexpr std::string_view dev_account = "devstoreaccount1";
constexpr std::string_view dev_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
constexpr const char* tv_date = "Mon, 15 Jan 2024 10:00:00 GMT";
constexpr const char* tv_version = "2021-12-02";

azmi::shared_key_credential dev_credential() {
    return azmi::shared_key_credential::create(std::string(dev_account), dev_key).value();
}

azmi::http_request dated_get(std::string url) {
    azmi::http_request req;
    req.method = azmi::http_method::get;
    req.url = std::move(url);
    req.headers.add("x-ms-date", tv_date);
    req.headers.add("x-ms-version", tv_version);
    return req;
}

std::string signed_authorization(const azmi::shared_key_credential& cred, azmi::http_request req) {
    REQUIRE(cred.sign(req).has_value());
    return std::string(req.headers.value_or("Authorization", ""));
}

}  // namespace

TEST_CASE("shared_key_credential: TV1 get blob, path-style, x-ms-range, If-Match, encoded name") {
    azmi::http_request req;
    req.method = azmi::http_method::get;
    req.url = "http://127.0.0.1:10000/devstoreaccount1/mycontainer/dir/h%C3%A9llo%20w%C3%B6rld.txt";
    req.headers.add("x-ms-date", tv_date);
    req.headers.add("x-ms-version", tv_version);
    req.headers.add("x-ms-range", "bytes=0-1023");
    req.headers.add("If-Match", "\"0x8DC15A1B2C3D4E5\"");
    req.headers.add("x-ms-client-request-id", "7f3c1d2e-0000-4000-8000-000000000001");
    const auto cred = dev_credential();
    CHECK(cred.string_to_sign(req).value() ==
          "GET\n\n\n\n\n\n\n\n\"0x8DC15A1B2C3D4E5\"\n\n\n\nx-ms-client-request-id:7f3c1d2e-0000-4000-8000-000000000001\n"
          "x-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\nx-ms-range:bytes=0-1023\nx-ms-version:2021-12-02\n"
          "/devstoreaccount1/devstoreaccount1/mycontainer/dir/h%C3%A9llo%20w%C3%B6rld.txt");
    CHECK(signed_authorization(cred, req) == "SharedKey devstoreaccount1:51ONlj9VW7EOdQgqmbfTD14Z/XozIWl2LW65gFdHS70=");
}

TEST_CASE("shared_key_credential: TV2 list blobs, query sorted and URL-decoded") {
    const auto req = dated_get(
        "http://127.0.0.1:10000/devstoreaccount1/mycontainer?restype=container&comp=list&prefix=dir%2F&delimiter=%2F"
        "&maxresults=2&marker=2%21104%21MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-");
    const auto cred = dev_credential();
    CHECK(cred.string_to_sign(req).value() ==
          "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\nx-ms-version:2021-12-02\n"
          "/devstoreaccount1/devstoreaccount1/mycontainer\ncomp:list\ndelimiter:/\n"
          "marker:2!104!MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-\nmaxresults:2\nprefix:dir/\nrestype:container");
    CHECK(signed_authorization(cred, req) == "SharedKey devstoreaccount1:sSxONPAdyVtYFtbulCcJ4yl45cdO2WphSQ7zl8uWwqQ=");
}

TEST_CASE("shared_key_credential: TV3 HEAD, host-style, name a+b.txt") {
    auto req = dated_get("https://devstoreaccount1.blob.core.windows.net/mycontainer/a%2Bb.txt");
    req.method = azmi::http_method::head;
    const auto cred = dev_credential();
    CHECK(cred.string_to_sign(req).value() ==
          "HEAD\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\nx-ms-version:2021-12-02\n"
          "/devstoreaccount1/mycontainer/a%2Bb.txt");
    CHECK(signed_authorization(cred, req) == "SharedKey devstoreaccount1:yf9mbC4FAymENcyEqQNP36LJU555djGVo2SUNjEOGZQ=");
}

TEST_CASE("shared_key_credential: TV4 get container properties") {
    const auto req = dated_get("http://127.0.0.1:10000/devstoreaccount1/mycontainer?restype=container");
    const auto cred = dev_credential();
    CHECK(cred.string_to_sign(req).value() ==
          "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\nx-ms-version:2021-12-02\n"
          "/devstoreaccount1/devstoreaccount1/mycontainer\nrestype:container");
    CHECK(signed_authorization(cred, req) == "SharedKey devstoreaccount1:HtjHQR77l4hII3BFrnU3NLDK38NfMu/2y1q+/A5d0gs=");
}

TEST_CASE("shared_key_credential: TV5 x-ms-range with the CRC64 flag") {
    auto req = dated_get("http://127.0.0.1:10000/devstoreaccount1/mycontainer/blob.bin");
    req.headers.add("x-ms-range", "bytes=4194304-8388607");
    req.headers.add("x-ms-range-get-content-crc64", "true");
    CHECK(signed_authorization(dev_credential(), req) ==
          "SharedKey devstoreaccount1:LJJoVdtXnK9VxtgPF2P9DZhh6eb5eKYSEkfhtyibacg=");
}

TEST_CASE("shared_key_credential: TV6 standard Range header fills slot 12") {
    const auto cred = dev_credential();
    SUBCASE("Range header present: signed in slot 12 (what Azurite accepts, 206)") {
        auto req = dated_get("http://127.0.0.1:10000/devstoreaccount1/mycontainer/blob.bin");
        req.headers.add("Range", "bytes=0-15");
        CHECK(cred.string_to_sign(req).value() ==
              "GET\n\n\n\n\n\n\n\n\n\n\nbytes=0-15\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\n"
              "x-ms-version:2021-12-02\n/devstoreaccount1/devstoreaccount1/mycontainer/blob.bin");
        CHECK(signed_authorization(cred, req) ==
              "SharedKey devstoreaccount1:AGo+2qVoAPJ2bPBuIjZcLB3fBARq9JYMhvkZ2TGRlvg=");
    }
    SUBCASE("no Range header: slot 12 empty gives the signature Azurite refuses for a Range request (403)") {
        const auto req = dated_get("http://127.0.0.1:10000/devstoreaccount1/mycontainer/blob.bin");
        CHECK(signed_authorization(cred, req) ==
              "SharedKey devstoreaccount1:PJrofi2U6/pmC7nRDrVzVJxmWSHj32wXF9/NrkeoycI=");
    }
    SUBCASE("range only in x-ms-range: slot 12 stays empty, the range is a canonicalized header") {
        auto req = dated_get("http://127.0.0.1:10000/devstoreaccount1/mycontainer/blob.bin");
        req.headers.add("x-ms-range", "bytes=0-15");
        CHECK(cred.string_to_sign(req).value() ==
              "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\nx-ms-range:bytes=0-15\n"
              "x-ms-version:2021-12-02\n/devstoreaccount1/devstoreaccount1/mycontainer/blob.bin");
        // Computed independently with Python's hmac module over the string above.
        CHECK(signed_authorization(cred, req) ==
              "SharedKey devstoreaccount1:QvpdGbbEsAne44qbcWkzsOb/lXnKLQ8ocm0SZ8/+oWg=");
    }
}

TEST_CASE("shared_key_credential: Content-Length slot is empty for 0 and derived from a body") {
    const auto cred = dev_credential();
    auto req = dated_get("https://devstoreaccount1.blob.core.windows.net/c/b");
    req.method = azmi::http_method::put;
    req.headers.add("Content-Length", "0");
    CHECK(cred.string_to_sign(req).value().rfind("PUT\n\n\n\n\n", 0) == 0);
    req.headers.set("Content-Length", "42");
    CHECK(cred.string_to_sign(req).value().rfind("PUT\n\n\n42\n", 0) == 0);
    req.headers.erase("Content-Length");
    req.body = "hello";
    CHECK(cred.string_to_sign(req).value().rfind("PUT\n\n\n5\n", 0) == 0);
}

TEST_CASE("shared_key_credential: Date slot is used only without x-ms-date") {
    const auto cred = dev_credential();
    azmi::http_request req;
    req.url = "https://devstoreaccount1.blob.core.windows.net/c/b";
    req.headers.add("Date", tv_date);
    CHECK(cred.string_to_sign(req).value() ==
          "GET\n\n\n\n\n\nMon, 15 Jan 2024 10:00:00 GMT\n\n\n\n\n\n/devstoreaccount1/c/b");
    CHECK(cred.sign(req).has_value());
    req.headers.add("x-ms-date", tv_date);
    CHECK(cred.string_to_sign(req).value() ==
          "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\n/devstoreaccount1/c/b");
}

TEST_CASE("shared_key_credential: x-ms- headers are lowercased, sorted, trimmed and whitespace-folded") {
    const auto cred = dev_credential();
    azmi::http_request req;
    req.url = "https://devstoreaccount1.blob.core.windows.net/";
    req.headers.add("X-MS-Version", tv_version);
    req.headers.add("x-ms-meta-b", "  two \t  words  ");
    req.headers.add("X-Ms-Date", tv_date);
    req.headers.add("x-ms-meta-a", "");
    req.headers.add("User-Agent", "azmi/0.1.0");  // not signed
    CHECK(cred.string_to_sign(req).value() ==
          "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\nx-ms-meta-a:\n"
          "x-ms-meta-b:two words\nx-ms-version:2021-12-02\n/devstoreaccount1/");
}

TEST_CASE("shared_key_credential: query names are lowercased, repeated values sorted and comma-joined") {
    const auto cred = dev_credential();
    const auto req = dated_get(
        "https://devstoreaccount1.blob.core.windows.net/c?include=snapshots&COMP=list&include=metadata&restype=container"
        "&prefix=a+b%20c&flag");
    CHECK(cred.string_to_sign(req).value() ==
          "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 15 Jan 2024 10:00:00 GMT\nx-ms-version:2021-12-02\n"
          "/devstoreaccount1/c\ncomp:list\nflag:\ninclude:metadata,snapshots\nprefix:a b c\nrestype:container");
}

TEST_CASE("shared_key_credential: sign replaces an earlier Authorization and copies sign alike") {
    const auto cred = dev_credential();
    const auto copy = cred;  // NOLINT(performance-unnecessary-copy-initialization): copies share the key
    auto req = dated_get("http://127.0.0.1:10000/devstoreaccount1/mycontainer?restype=container");
    req.headers.add("Authorization", "Bearer stale");
    REQUIRE(copy.sign(req).has_value());
    CHECK(req.headers.value_or("Authorization", "") ==
          "SharedKey devstoreaccount1:HtjHQR77l4hII3BFrnU3NLDK38NfMu/2y1q+/A5d0gs=");
    std::size_t authorization_fields = 0;
    for (const auto& field : req.headers) authorization_fields += azmi::detail::iequals(field.first, "Authorization");
    CHECK(authorization_fields == 1);
    CHECK(copy.account_name() == "devstoreaccount1");
}

TEST_CASE("shared_key_credential: sign refuses undated requests, SAS URLs, duplicates and bad URLs") {
    const auto cred = dev_credential();
    SUBCASE("no x-ms-date and no Date") {
        azmi::http_request req;
        req.url = "https://devstoreaccount1.blob.core.windows.net/c/b";
        auto r = cred.sign(req);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::invalid_argument);
        CHECK(r.error().message.find("x-ms-date") != std::string::npos);
        CHECK_FALSE(req.headers.contains("Authorization"));
    }
    SUBCASE("URL already has a SAS signature") {
        auto req = dated_get("https://devstoreaccount1.blob.core.windows.net/c/b?sv=2021-12-02&SIG=c2VjcmV0c2ln");
        auto r = cred.sign(req);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::invalid_argument);
        CHECK(r.error().message.find("c2VjcmV0c2ln") == std::string::npos);
        CHECK_FALSE(req.headers.contains("Authorization"));
    }
    SUBCASE("an x-ms- header given twice") {
        auto req = dated_get("https://devstoreaccount1.blob.core.windows.net/c/b");
        req.headers.add("X-MS-VERSION", "2019-02-02");
        auto r = cred.string_to_sign(req);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().message.find("x-ms-version") != std::string::npos);
    }
    SUBCASE("a standard header given twice") {
        auto req = dated_get("https://devstoreaccount1.blob.core.windows.net/c/b");
        req.headers.add("If-Match", "\"a\"");
        req.headers.add("if-match", "\"b\"");
        CHECK_FALSE(cred.string_to_sign(req).has_value());
    }
    SUBCASE("malformed percent escape in the query") {
        auto req = dated_get("https://devstoreaccount1.blob.core.windows.net/c?prefix=%zz");
        CHECK(cred.string_to_sign(req).error().code == azmi::errc::invalid_argument);
    }
    SUBCASE("not an absolute http(s) URL") {
        auto req = dated_get("ftp://devstoreaccount1.blob.core.windows.net/c");
        CHECK(cred.sign(req).error().code == azmi::errc::invalid_argument);
    }
}

TEST_CASE("shared_key_credential: create validates the account name and key without echoing the key") {
    CHECK(azmi::shared_key_credential::create("devstoreaccount1", dev_key).has_value());
    CHECK(azmi::shared_key_credential::create("abc", "AAAA").has_value());
    CHECK(azmi::shared_key_credential::create(std::string(24, 'a'), "AAAA").has_value());
    for (const char* bad_name : {"ab", "Devstoreaccount1", "dev-store", "evil.invalid#", "x@evil.invalid/", ""}) {
        CAPTURE(bad_name);
        auto r = azmi::shared_key_credential::create(bad_name, dev_key);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::invalid_argument);
    }
    CHECK_FALSE(azmi::shared_key_credential::create(std::string(25, 'a'), dev_key).has_value());

    const std::string bad_key = "c2VjcmV0IGtleSBieXRlcw*=";
    auto r = azmi::shared_key_credential::create("devstoreaccount1", bad_key);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::invalid_argument);
    CHECK(r.error().message.find("c2VjcmV0") == std::string::npos);
    CHECK(r.error().to_string().find("c2VjcmV0") == std::string::npos);
    CHECK_FALSE(azmi::shared_key_credential::create("devstoreaccount1", "").has_value());
}

TEST_CASE("shared_key_credential: errors never contain the key or a signature") {
    const auto cred = dev_credential();
    azmi::http_request req;
    req.url = "https://devstoreaccount1.blob.core.windows.net/c/b";
    auto r = cred.sign(req);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("Eby8") == std::string::npos);
    CHECK(r.error().message.find("SharedKey") == std::string::npos);
}

TEST_CASE("shared_key_credential: create takes the account as literal, std::string or std::string_view") {
    const std::string owned = "devstoreaccount1";
    const std::string_view view = owned;
    CHECK(azmi::shared_key_credential::create("devstoreaccount1", dev_key).value().account_name() == owned);
    CHECK(azmi::shared_key_credential::create(owned, dev_key).value().account_name() == owned);
    CHECK(azmi::shared_key_credential::create(view, dev_key).value().account_name() == owned);
    CHECK_FALSE(azmi::shared_key_credential::create(std::string_view("BAD"), dev_key).has_value());
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/blob_request.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <string>  // string

using azmi::errc;
using namespace azmi::detail;

TEST_CASE("detail_blob_request: status and code map to the most precise errc") {
    CHECK(storage_errc(404, "BlobNotFound") == errc::blob_not_found);
    CHECK(storage_errc(404, "ContainerNotFound") == errc::container_not_found);
    CHECK(storage_errc(404, "") == errc::http_status);
    CHECK(storage_errc(412, "") == errc::condition_not_met);
    CHECK(storage_errc(416, "") == errc::invalid_range);
    CHECK(storage_errc(401, "") == errc::authentication);
    CHECK(storage_errc(403, "AuthenticationFailed") == errc::authentication);
    CHECK(storage_errc(400, "InvalidAuthenticationInfo") == errc::authentication);
    CHECK(storage_errc(403, "AuthorizationPermissionMismatch") == errc::authorization);
    CHECK(storage_errc(403, "AuthorizationFailure") == errc::authorization);
    CHECK(storage_errc(403, "") == errc::authorization);
    CHECK(storage_errc(302, "") == errc::http_status);
    CHECK(storage_errc(503, "ServerBusy") == errc::http_status);
}

TEST_CASE("detail_blob_request: only token rejections trigger a refresh") {
    CHECK(is_token_rejection(401, ""));
    CHECK(is_token_rejection(401, "InvalidAuthenticationInfo"));
    CHECK(is_token_rejection(403, "AuthenticationFailed"));
    CHECK(is_token_rejection(403, "InvalidAuthenticationInfo"));
    CHECK(is_token_rejection(400, "InvalidAuthenticationInfo"));
    CHECK_FALSE(is_token_rejection(403, "AuthorizationPermissionMismatch"));
    CHECK_FALSE(is_token_rejection(403, "AuthorizationFailure"));
    CHECK_FALSE(is_token_rejection(400, "InvalidHeaderValue"));
    CHECK_FALSE(is_token_rejection(404, "BlobNotFound"));
}

TEST_CASE("detail_blob_request: Content-Range parsing") {
    auto r = parse_content_range("bytes 0-9/1200");
    REQUIRE(r.has_value());
    CHECK(r->first == 0u);
    CHECK(r->last == 9u);
    CHECK(r->total == 1200u);
    r = parse_content_range("bytes */1200");
    REQUIRE(r.has_value());
    CHECK_FALSE(r->first.has_value());
    CHECK(r->total == 1200u);
    r = parse_content_range("bytes 0--1/0");  // Azurite, empty blob
    REQUIRE(r.has_value());
    CHECK(r->first == 0u);
    CHECK_FALSE(r->last.has_value());
    CHECK(r->total == 0u);
    r = parse_content_range("bytes 100-199/*");
    REQUIRE(r.has_value());
    CHECK_FALSE(r->total.has_value());
    CHECK_FALSE(parse_content_range("").has_value());
    CHECK_FALSE(parse_content_range("items 0-9/10").has_value());
    CHECK_FALSE(parse_content_range("bytes 0-9").has_value());
    CHECK_FALSE(parse_content_range("bytes x-9/10").has_value());
    CHECK_FALSE(parse_content_range("bytes 0-9/99999999999999999999").has_value());
}

TEST_CASE("detail_blob_request: error from a response: header code first, XML message first line, detail") {
    azmi::http_response r;
    r.status = 403;
    r.headers.set("x-ms-error-code", "AuthenticationFailed");
    r.headers.set("x-ms-request-id", "rid");
    r.headers.set("Retry-After", "5");
    r.body = "<?xml version=\"1.0\"?><Error><Code>Other</Code><Message>Server failed to authenticate the request.\n"
             "RequestId:x\nTime:y</Message><AuthenticationErrorDetail>Lifetime validation failed. The token is expired."
             "</AuthenticationErrorDetail></Error>";
    const auto e = storage_error_from_response(r, "GET blob 'c/b'");
    CHECK(e.code == errc::authentication);
    CHECK(e.error_code == "AuthenticationFailed");
    CHECK(e.request_id == "rid");
    CHECK(e.status == 403);
    CHECK(e.retry_after == std::chrono::milliseconds(5000));
    CHECK(e.message ==
          "GET blob 'c/b': Server failed to authenticate the request. (Lifetime validation failed. The token is expired.)");

    azmi::http_response bare;
    bare.status = 500;
    const auto b = storage_error_from_response(bare, "HEAD blob 'c/b'");
    CHECK(b.message == "HEAD blob 'c/b': HTTP 500");
    CHECK(b.code == errc::http_status);
    CHECK(b.retriable());
}

TEST_CASE("detail_blob_request: scrub_secrets removes every sent secret and SAS signature") {
    CHECK(scrub_secrets("a SECRET1 b SECRET1", {"SECRET1"}) == "a REDACTED b REDACTED");
    CHECK(scrub_secrets("x?sig=abc&y", {}) == "x?sig=REDACTED&y");
    CHECK(scrub_secrets("short ab stays", {"ab", ""}) == "short ab stays");
}

TEST_CASE("detail_blob_request: properties from headers, metadata prefix stripped") {
    azmi::header_map h{{"Content-Length", "12"}, {"ETag", "\"e\""}, {"X-MS-META-Key", "v"}, {"x-ms-blob-type", "PageBlob"}};
    const auto p = properties_from_headers(h);
    CHECK(p.size == 12);
    CHECK(p.etag == "\"e\"");
    CHECK(p.blob_type == "PageBlob");
    CHECK(p.metadata.at("Key") == "v");
    CHECK(parse_u64(" 42 ") == 42u);
    CHECK_FALSE(parse_u64("-1").has_value());
    CHECK_FALSE(parse_u64("").has_value());
}

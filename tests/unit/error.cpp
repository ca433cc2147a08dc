// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/error.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <chrono>       // milliseconds
#include <memory>       // unique_ptr, make_unique
#include <stdexcept>    // runtime_error
#include <string>       // string
#include <type_traits>  // is_base_of_v, is_constructible_v
#include <utility>      // move
#include <vector>       // vector

using namespace std::chrono_literals;

namespace {

azmi::error full_error() {
    azmi::error e(azmi::errc::blob_not_found, "no blob 'c/b' at https://acct.blob.core.windows.net", 404);
    e.error_code = "BlobNotFound";
    e.request_id = "req-1";
    e.client_request_id = "client-2";
    return e;
}

void check_same_error(const azmi::error& a, const azmi::error& b) {
    CHECK(a.code == b.code);
    CHECK(a.message == b.message);
    CHECK(a.status == b.status);
    CHECK(a.error_code == b.error_code);
    CHECK(a.request_id == b.request_id);
    CHECK(a.client_request_id == b.client_request_id);
    CHECK(a.retry_after == b.retry_after);
}

}  // namespace

TEST_CASE("error: to_string gives every errc its stable lowercase name") {
    using azmi::errc;
    struct named {
        errc code;
        const char* name;
    };
    const std::vector<named> all = {
        {errc::invalid_argument, "invalid_argument"},
        {errc::not_configured, "not_configured"},
        {errc::transport, "transport"},
        {errc::timeout, "timeout"},
        {errc::truncated, "truncated"},
        {errc::http_status, "http_status"},
        {errc::authentication, "authentication"},
        {errc::authorization, "authorization"},
        {errc::blob_not_found, "blob_not_found"},
        {errc::container_not_found, "container_not_found"},
        {errc::condition_not_met, "condition_not_met"},
        {errc::invalid_range, "invalid_range"},
        {errc::malformed_response, "malformed_response"},
        {errc::integrity, "integrity"},
        {errc::io, "io"},
        {errc::cancelled, "cancelled"},
    };
    for (const auto& n : all) {
        CAPTURE(n.name);
        CHECK(std::string(azmi::to_string(n.code)) == n.name);
    }
    // The enum starts at 1 and the list above is contiguous: no errc was left out.
    CHECK(static_cast<int>(errc::invalid_argument) == 1);
    CHECK(static_cast<int>(errc::cancelled) == static_cast<int>(all.size()));
    // A value outside the enum (e.g. from a newer library) still prints something.
    CHECK(std::string(azmi::to_string(static_cast<errc>(0))) == "unknown");
    CHECK(std::string(azmi::to_string(static_cast<errc>(999))) == "unknown");
}

TEST_CASE("error: a default error is a transport error with no status and no retry hint") {
    const azmi::error e;
    CHECK(e.code == azmi::errc::transport);
    CHECK(e.message.empty());
    CHECK(e.status == 0);
    CHECK(e.error_code.empty());
    CHECK(e.request_id.empty());
    CHECK(e.client_request_id.empty());
    CHECK(e.retry_after == -1ms);
    CHECK(e.to_string() == "azmi: transport: ");

    const azmi::error two(azmi::errc::io, "disk full");
    CHECK(two.code == azmi::errc::io);
    CHECK(two.message == "disk full");
    CHECK(two.status == 0);

    const azmi::error three(azmi::errc::http_status, "teapot", 418);
    CHECK(three.status == 418);
}

TEST_CASE("error: to_string without any detail is code and message only") {
    const azmi::error e(azmi::errc::invalid_argument, "container name 'A' has an uppercase letter");
    CHECK(e.to_string() == "azmi: invalid_argument: container name 'A' has an uppercase letter");
}

TEST_CASE("error: to_string lists status, error code and request ids in brackets") {
    CHECK(full_error().to_string() ==
          "azmi: blob_not_found: no blob 'c/b' at https://acct.blob.core.windows.net "
          "[HTTP 404, BlobNotFound, request id req-1, client request id client-2]");

    SUBCASE("status only") {
        const azmi::error e(azmi::errc::http_status, "server busy", 503);
        CHECK(e.to_string() == "azmi: http_status: server busy [HTTP 503]");
    }
    SUBCASE("error code without a status") {
        azmi::error e(azmi::errc::authentication, "token refused");
        e.error_code = "InvalidAuthenticationInfo";
        CHECK(e.to_string() == "azmi: authentication: token refused [InvalidAuthenticationInfo]");
    }
    SUBCASE("request id only") {
        azmi::error e(azmi::errc::timeout, "no answer in 30 s");
        e.request_id = "abc";
        CHECK(e.to_string() == "azmi: timeout: no answer in 30 s [request id abc]");
    }
    SUBCASE("client request id only") {
        azmi::error e(azmi::errc::transport, "connection reset");
        e.client_request_id = "7f3c";
        CHECK(e.to_string() == "azmi: transport: connection reset [client request id 7f3c]");
    }
    SUBCASE("status and request ids, no error code") {
        azmi::error e(azmi::errc::authorization, "missing role", 403);
        e.request_id = "r";
        e.client_request_id = "c";
        CHECK(e.to_string() == "azmi: authorization: missing role [HTTP 403, request id r, client request id c]");
    }
    SUBCASE("retry_after is not part of the text") {
        azmi::error e(azmi::errc::http_status, "throttled", 429);
        e.retry_after = 2000ms;
        CHECK(e.to_string() == "azmi: http_status: throttled [HTTP 429]");
    }
}

TEST_CASE("error: retriable is true for connection failures, timeouts and truncation") {
    using azmi::errc;
    CHECK(azmi::error(errc::transport, "reset").retriable());
    CHECK(azmi::error(errc::timeout, "slow").retriable());
    CHECK(azmi::error(errc::truncated, "short body").retriable());
}

TEST_CASE("error: retriable for http_status follows the status") {
    for (int status : {408, 429, 500, 502, 503, 504}) {
        CAPTURE(status);
        CHECK(azmi::error(azmi::errc::http_status, "x", status).retriable());
    }
    for (int status : {0, 200, 304, 400, 401, 403, 404, 409, 410, 412, 416, 501, 505}) {
        CAPTURE(status);
        CHECK_FALSE(azmi::error(azmi::errc::http_status, "x", status).retriable());
    }
}

TEST_CASE("error: retriable is false for auth, not-found, precondition, range, integrity and caller errors") {
    using azmi::errc;
    // Even with a status that would be retriable as a plain http_status: the precise code wins.
    for (errc code : {errc::invalid_argument, errc::not_configured, errc::authentication, errc::authorization,
                      errc::blob_not_found, errc::container_not_found, errc::condition_not_met, errc::invalid_range,
                      errc::integrity, errc::io, errc::cancelled}) {
        CAPTURE(azmi::to_string(code));
        CHECK_FALSE(azmi::error(code, "x").retriable());
        CHECK_FALSE(azmi::error(code, "x", 503).retriable());
    }
    CHECK_FALSE(azmi::error(errc::authentication, "x", 401).retriable());
    CHECK_FALSE(azmi::error(errc::authorization, "x", 403).retriable());
    CHECK_FALSE(azmi::error(errc::blob_not_found, "x", 404).retriable());
    CHECK_FALSE(azmi::error(errc::condition_not_met, "x", 412).retriable());
    CHECK_FALSE(azmi::error(errc::invalid_range, "x", 416).retriable());
}

TEST_CASE("error: a malformed response is retriable only when it came with a retriable status") {
    // A proxy's HTML 502 page cannot be parsed, but the request may well succeed later.
    CHECK(azmi::error(azmi::errc::malformed_response, "html page", 502).retriable());
    CHECK_FALSE(azmi::error(azmi::errc::malformed_response, "bad json", 200).retriable());
    CHECK_FALSE(azmi::error(azmi::errc::malformed_response, "bad json").retriable());
}

TEST_CASE("error: exception carries the error and prints to_string") {
    const azmi::error original = full_error();
    const azmi::exception ex(original);
    check_same_error(ex.error(), original);
    CHECK(ex.code() == azmi::errc::blob_not_found);
    CHECK(std::string(ex.what()) == original.to_string());
    static_assert(std::is_base_of_v<std::runtime_error, azmi::exception>, "catchable as runtime_error");
}

TEST_CASE("error: result<T> with a value") {
    azmi::result<std::string> r(std::string("hello"));
    CHECK(r.has_value());
    CHECK(static_cast<bool>(r));
    CHECK(r.value() == "hello");
    CHECK(*r == "hello");
    CHECK(r->size() == 5);
    CHECK(r.value_or("fallback") == "hello");

    r->append(" world");  // non-const access modifies in place
    CHECK(*r == "hello world");
    r.value() += "!";
    CHECK(r.value() == "hello world!");

    const azmi::result<std::string>& cr = r;
    CHECK(cr.value() == "hello world!");
    CHECK(*cr == "hello world!");
    CHECK(cr->size() == 12);

    std::string moved = std::move(r).value();
    CHECK(moved == "hello world!");
}

TEST_CASE("error: result<T> with an error") {
    azmi::result<int> r = azmi::error(azmi::errc::timeout, "slow");
    CHECK_FALSE(r.has_value());
    CHECK_FALSE(static_cast<bool>(r));
    CHECK(r.error().code == azmi::errc::timeout);
    CHECK(r.error().message == "slow");
    CHECK(r.value_or(7) == 7);
    CHECK(r.value_or(2.9) == 2);  // value_or converts the fallback to T

    azmi::error taken = std::move(r).error();
    CHECK(taken.message == "slow");
}

TEST_CASE("error: result<T>::value() on an error throws azmi::exception with that error") {
    const azmi::error original = full_error();

    SUBCASE("lvalue") {
        azmi::result<int> r = original;
        try {
            (void)r.value();
            FAIL("value() did not throw");
        } catch (const azmi::exception& ex) {
            check_same_error(ex.error(), original);
            CHECK(std::string(ex.what()) == original.to_string());
        }
    }
    SUBCASE("const lvalue") {
        const azmi::result<int> r = original;
        CHECK_THROWS_AS((void)r.value(), azmi::exception);
        CHECK_THROWS_WITH((void)r.value(), original.to_string().c_str());
    }
    SUBCASE("rvalue") {
        CHECK_THROWS_AS((void)azmi::result<std::string>(original).value(), azmi::exception);
    }
    SUBCASE("catchable as std::runtime_error") {
        azmi::result<int> r = original;
        CHECK_THROWS_AS((void)r.value(), std::runtime_error);
    }
}

TEST_CASE("error: result<T> holds move-only types") {
    azmi::result<std::unique_ptr<int>> r(std::make_unique<int>(42));
    REQUIRE(r);
    CHECK(**r == 42);
    CHECK(*r.value() == 42);
    CHECK(*r->get() == 42);

    std::unique_ptr<int> owned = std::move(r).value();
    REQUIRE(owned != nullptr);
    CHECK(*owned == 42);

    azmi::result<std::unique_ptr<int>> failed = azmi::error(azmi::errc::io, "no");
    CHECK_FALSE(failed);
    CHECK_THROWS_AS((void)std::move(failed).value(), azmi::exception);

    azmi::result<std::unique_ptr<int>> moved_into(std::move(failed));
    CHECK(moved_into.error().message == "no");
    static_assert(!std::is_copy_constructible_v<azmi::result<std::unique_ptr<int>>>, "follows T");
}

TEST_CASE("error: result<void>") {
    azmi::result<void> ok;
    CHECK(ok.has_value());
    CHECK(static_cast<bool>(ok));
    CHECK_NOTHROW(ok.value());

    azmi::result<void> bad = azmi::error(azmi::errc::cancelled, "sink said stop");
    CHECK_FALSE(bad.has_value());
    CHECK_FALSE(static_cast<bool>(bad));
    CHECK(bad.error().code == azmi::errc::cancelled);
    try {
        bad.value();
        FAIL("value() did not throw");
    } catch (const azmi::exception& ex) {
        CHECK(ex.code() == azmi::errc::cancelled);
        CHECK(ex.error().message == "sink said stop");
        CHECK(std::string(ex.what()) == "azmi: cancelled: sink said stop");
    }
    azmi::error taken = std::move(bad).error();
    CHECK(taken.message == "sink said stop");
}

TEST_CASE("error: result converts implicitly from a value or an error in return statements") {
    auto half = [](int n) -> azmi::result<int> {
        if (n % 2 != 0) return azmi::error(azmi::errc::invalid_argument, "odd");
        return n / 2;
    };
    CHECK(half(8).value() == 4);
    CHECK(half(3).error().code == azmi::errc::invalid_argument);
    static_assert(std::is_same_v<azmi::result<int>::value_type, int>, "value_type");
    static_assert(std::is_same_v<azmi::result<void>::value_type, void>, "value_type");
}

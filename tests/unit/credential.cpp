// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/credential.hpp>  // first: proves the header is self-contained

#include <azmi/testing/mock_transport.hpp>
#include <doctest/doctest.h>

#include <env_override.hpp>
#include <fake_clock.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using namespace std::chrono_literals;
using azmi::testing::mock_transport;
using azmi::testing::scripted_response;
using azmi_test::fake_clock;

namespace {

constexpr const char* endpoint = "http://127.0.0.1:8911/msi/token";
constexpr const char* secret = "s3cr3t-value-never-printed";
constexpr long long t0 = 1'700'000'000;  // fake_clock's start, 2023-11-14 22:13:20 UTC

std::string token_json(const std::string& token, long long expires_on) {
    return R"({"access_token":")" + token + R"(","expires_on":")" + std::to_string(expires_on) +
           R"(","resource":"https://storage.azure.com","token_type":"Bearer"})";
}

azmi::managed_identity_options test_options(std::vector<std::chrono::milliseconds>* sleeps = nullptr) {
    azmi::managed_identity_options o;
    o.endpoint = endpoint;
    o.secret = secret;
    o.retry.sleep = [sleeps](std::chrono::milliseconds d) {
        if (sleeps) sleeps->push_back(d);
    };
    return o;
}

using system_cred = azmi::basic_managed_identity_credential<azmi::system_assigned, fake_clock>;
using user_cred = azmi::basic_managed_identity_credential<azmi::user_assigned_client_id, fake_clock>;

}  // namespace

// "System-assigned with a client id" cannot be written: the types say which identity it is.
static_assert(!std::is_constructible_v<azmi::user_assigned_client_id>, "a user-assigned identity needs a client id");
static_assert(!std::is_convertible_v<std::string, azmi::user_assigned_client_id>, "no accidental conversion");
static_assert(!std::is_constructible_v<azmi::system_assigned_credential, std::shared_ptr<azmi::transport>,
                                       azmi::user_assigned_client_id>,
              "a system-assigned credential takes no client id");

TEST_CASE("credential: system-assigned request is GET with api-version, resource, secret and Metadata") {
    azmi_test::env_override env{{"DEFAULT_IDENTITY_CLIENT_ID", nullptr}};
    auto mock = std::make_shared<mock_transport>();
    mock->push(200, token_json("tok-1", t0 + 3600));
    fake_clock clock;
    system_cred cred(mock, {}, test_options(), clock);
    auto token = cred.try_get_token(azmi::storage_scope);
    REQUIRE(token);
    CHECK(token->token() == "tok-1");
    CHECK(token->expires_on() == azmi::access_token::time_point(std::chrono::seconds(t0 + 3600)));

    const auto sent = mock->requests().at(0);
    CHECK(sent.method == azmi::http_method::get);
    CHECK(sent.url == std::string(endpoint) + "?api-version=2017-09-01&resource=https%3A%2F%2Fstorage.azure.com");
    CHECK(sent.headers.get("secret") == std::string_view(secret));
    CHECK(sent.headers.get("Metadata") == std::string_view("true"));
    CHECK(sent.bypass_proxy);
    CHECK(sent.url.find("clientid") == std::string::npos);
}

TEST_CASE("credential: user-assigned sends clientid, percent-encoded") {
    auto mock = std::make_shared<mock_transport>();
    mock->push(200, token_json("tok-u", t0 + 3600));
    user_cred cred(mock, azmi::user_assigned_client_id("id with&odd=chars"), test_options(), fake_clock{});
    REQUIRE(cred.try_get_token("https://storage.azure.com/"));
    CHECK(mock->requests().at(0).url.find("&clientid=id%20with%26odd%3Dchars") != std::string::npos);
    CHECK(cred.client_id() == "id with&odd=chars");
}

TEST_CASE("credential: system identity sends DEFAULT_IDENTITY_CLIENT_ID as clientid, as Azure ML expects") {
    azmi_test::env_override env{{"DEFAULT_IDENTITY_CLIENT_ID", "sys-client-id"}};
    auto mock = std::make_shared<mock_transport>();
    mock->push(200, token_json("tok", t0 + 3600));
    system_cred cred(mock, {}, test_options(), fake_clock{});
    REQUIRE(cred.try_get_token(azmi::storage_scope));
    CHECK(mock->requests().at(0).url.find("&clientid=sys-client-id") != std::string::npos);
}

TEST_CASE("credential: endpoint and secret come from MSI_ENDPOINT and MSI_SECRET") {
    azmi_test::env_override env{{"MSI_ENDPOINT", "http://127.0.0.1:9/from-env"}, {"MSI_SECRET", "env-secret"},
                                {"DEFAULT_IDENTITY_CLIENT_ID", nullptr}};
    auto mock = std::make_shared<mock_transport>();
    mock->push(200, token_json("tok", t0 + 3600));
    azmi::managed_identity_options o;
    o.retry.sleep = [](std::chrono::milliseconds) {};
    system_cred cred(mock, {}, o, fake_clock{});
    REQUIRE(cred.try_get_token(azmi::storage_scope));
    CHECK(mock->requests().at(0).url.rfind("http://127.0.0.1:9/from-env?api-version=2017-09-01", 0) == 0);
    CHECK(mock->requests().at(0).headers.get("secret") == std::string_view("env-secret"));
}

TEST_CASE("credential: missing configuration names the variables and sends nothing") {
    azmi_test::env_override env{{"MSI_ENDPOINT", nullptr}, {"MSI_SECRET", nullptr}};
    auto mock = std::make_shared<mock_transport>();
    azmi::system_assigned_credential cred(mock);
    auto r = cred.try_get_token(azmi::storage_scope);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == azmi::errc::not_configured);
    CHECK(r.error().message.find("MSI_ENDPOINT and MSI_SECRET") != std::string::npos);
    CHECK(mock->request_count() == 0);
    CHECK_THROWS_AS(cred.get_token(azmi::storage_scope), azmi::exception);
}

TEST_CASE("credential: bad endpoint URLs are refused before any I/O") {
    auto mock = std::make_shared<mock_transport>();
    SUBCASE("not a URL") {
        auto o = test_options();
        o.endpoint = "not a url";
        system_cred cred(mock, {}, o, fake_clock{});
        CHECK(cred.try_get_token(azmi::storage_scope).error().code == azmi::errc::not_configured);
    }
    SUBCASE("userinfo") {
        auto o = test_options();
        o.endpoint = "http://user@127.0.0.1/msi/token";
        system_cred cred(mock, {}, o, fake_clock{});
        CHECK(cred.try_get_token(azmi::storage_scope).error().code == azmi::errc::not_configured);
    }
    SUBCASE("public host with require_local_endpoint") {
        auto o = test_options();
        o.endpoint = "http://example.com/msi/token";
        o.require_local_endpoint = true;
        system_cred cred(mock, {}, o, fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        CHECK(r.error().code == azmi::errc::not_configured);
        CHECK(r.error().message.find("example.com") != std::string::npos);
    }
    SUBCASE("private host with require_local_endpoint is fine") {
        auto o = test_options();
        o.endpoint = "http://10.0.0.4:8911/msi/token";
        o.require_local_endpoint = true;
        mock->push(200, token_json("tok", t0 + 3600));
        system_cred cred(mock, {}, o, fake_clock{});
        CHECK(cred.try_get_token(azmi::storage_scope));
    }
    CHECK(mock->request_count() <= 1);
}

TEST_CASE("credential: every expires_on form the Azure endpoints send is understood") {
    const auto expected = azmi::access_token::time_point(std::chrono::seconds(t0 + 3600));
    struct form {
        const char* name;
        std::string body;
    } forms[] = {
        {"number", R"({"access_token":"t","expires_on":1700003600})"},
        {"numeric string", R"({"access_token":"t","expires_on":"1700003600"})"},
        {"App Service Linux date", R"({"access_token":"t","expires_on":"11/14/2023 23:13:20 +00:00"})"},
        {"App Service Windows date", R"({"access_token":"t","expires_on":"11/14/2023 11:13:20 PM +00:00"})"},
        {"date with offset", R"({"access_token":"t","expires_on":"11/15/2023 01:13:20 +02:00"})"},
        {"expires_in string", R"({"access_token":"t","expires_in":"3600"})"},
        {"expires_in number", R"({"access_token":"t","expires_in":3600})"},
    };
    for (const auto& f : forms) {
        CAPTURE(f.name);
        auto mock = std::make_shared<mock_transport>();
        mock->push(200, f.body);
        system_cred cred(mock, {}, test_options(), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE(r);
        CHECK(r->expires_on() == expected);
    }
}

TEST_CASE("credential: refresh timing follows refresh_in, else a margin, else half-life") {
    auto refresh_at_for = [](const std::string& body) {
        auto mock = std::make_shared<mock_transport>();
        mock->push(200, body);
        system_cred cred(mock, {}, test_options(), fake_clock{});
        return std::chrono::duration_cast<std::chrono::seconds>(cred.try_get_token("r")->refresh_at().time_since_epoch()).count() - t0;
    };
    CHECK(refresh_at_for(R"({"access_token":"t","expires_in":3600,"refresh_in":1800})") == 1800);
    CHECK(refresh_at_for(R"({"access_token":"t","expires_in":3600})") == 3300);       // 5 min margin
    CHECK(refresh_at_for(R"({"access_token":"t","expires_in":86400})") == 43200);     // half-life for long tokens
    CHECK(refresh_at_for(R"({"access_token":"t","expires_in":120})") == 60);          // half-life for short ones
}

TEST_CASE("credential: a cached token is served without another request, until refresh time") {
    auto mock = std::make_shared<mock_transport>();
    mock->push(200, token_json("tok-1", t0 + 3600));
    mock->push(200, token_json("tok-2", t0 + 7200));
    fake_clock clock;
    system_cred cred(mock, {}, test_options(), clock);
    CHECK(cred.get_token(azmi::storage_scope).token() == "tok-1");
    CHECK(cred.get_token("https://storage.azure.com/").token() == "tok-1");  // same resource, other spelling
    CHECK(mock->request_count() == 1);
    clock.advance(3301s);
    CHECK(cred.get_token(azmi::storage_scope).token() == "tok-2");
    CHECK(mock->request_count() == 2);
}

TEST_CASE("credential: 64 threads on a cold cache cause exactly one request") {
    auto mock = std::make_shared<mock_transport>();
    mock->add_rule(mock_transport::match(azmi::http_method::get),
                   scripted_response::reply(200, token_json("shared", t0 + 3600)).after(50ms));
    system_cred cred(mock, {}, test_options(), fake_clock{});
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i)
        threads.emplace_back([&] {
            if (auto r = cred.try_get_token(azmi::storage_scope); r && r->token() == "shared") ++ok;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 64);
    CHECK(mock->request_count() == 1);
}

TEST_CASE("credential: endpoint errors carry status, code and text, never the secret") {
    auto mock = std::make_shared<mock_transport>();
    SUBCASE("400 unknown identity is not retried") {
        mock->push(400, R"({"error":"invalid_request","error_description":"Identity not found"})");
        user_cred cred(mock, azmi::user_assigned_client_id("nope"), test_options(), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == azmi::errc::http_status);
        CHECK(r.error().status == 400);
        CHECK(r.error().error_code == "invalid_request");
        CHECK(r.error().message.find("Identity not found") != std::string::npos);
        CHECK(mock->request_count() == 1);
    }
    SUBCASE("401 wrong secret, echoed back by the endpoint, is scrubbed") {
        mock->push(401, std::string(R"({"error":"unauthorized","error_description":"bad secret )") + secret + R"("})");
        system_cred cred(mock, {}, test_options(), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == azmi::errc::authentication);
        CHECK(r.error().to_string().find(secret) == std::string::npos);
        CHECK(r.error().to_string().find("REDACTED") != std::string::npos);
        CHECK(mock->request_count() == 1);
    }
    SUBCASE("redirects are errors and are not followed") {
        mock->push(302, "", azmi::header_map{{"Location", "http://evil.invalid/"}});
        system_cred cred(mock, {}, test_options(), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(r);
        CHECK(r.error().status == 302);
        CHECK(r.error().message.find("redirect") != std::string::npos);
        CHECK(mock->request_count() == 1);
    }
}

TEST_CASE("credential: malformed answers say what was wrong without quoting the token") {
    const char* cases[] = {
        "this is not json but mentions tok-SECRET",
        R"(["tok-SECRET"])",
        R"({"expires_on":"1700003600"})",
        R"({"access_token":"tok-SECRET"})",
        R"({"access_token":"tok-SECRET","expires_on":"tomorrow"})",
        R"({"access_token":"tok-SECRET","expires_on":"1700003600","refresh_in":"soon"})",
        R"({"access_token":42,"expires_on":"1700003600"})",
        "",
    };
    for (const char* body : cases) {
        CAPTURE(body);
        auto mock = std::make_shared<mock_transport>();
        mock->push(200, body);
        system_cred cred(mock, {}, test_options(), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == azmi::errc::malformed_response);
        CHECK(r.error().to_string().find("tok-SECRET") == std::string::npos);
        CHECK_FALSE(r.error().message.empty());
    }
}

TEST_CASE("credential: transient failures are retried with backoff and Retry-After") {
    std::vector<std::chrono::milliseconds> sleeps;
    auto mock = std::make_shared<mock_transport>();
    SUBCASE("503 with Retry-After, then success") {
        mock->push(503, "", azmi::header_map{{"Retry-After", "2"}});
        mock->push(200, token_json("tok", t0 + 3600));
        system_cred cred(mock, {}, test_options(&sleeps), fake_clock{});
        REQUIRE(cred.try_get_token(azmi::storage_scope));
        REQUIRE(sleeps.size() == 1);
        CHECK(sleeps[0] == 2000ms);
    }
    SUBCASE("connection failures, then success") {
        mock->push(scripted_response::fail("connection refused"));
        mock->push(scripted_response::fail("timed out", azmi::errc::timeout));
        mock->push(200, token_json("tok", t0 + 3600));
        system_cred cred(mock, {}, test_options(&sleeps), fake_clock{});
        REQUIRE(cred.try_get_token(azmi::storage_scope));
        REQUIRE(sleeps.size() == 2);
        CHECK(sleeps[0] >= 400ms);  // 500 ms, jitter ×[0.8, 1.3]
        CHECK(sleeps[0] <= 650ms);
        CHECK(sleeps[1] >= 800ms);  // doubled
        CHECK(sleeps[1] <= 1300ms);
    }
    SUBCASE("a connection failure names the identity endpoint") {
        for (int i = 0; i < 4; ++i) mock->push(scripted_response::fail("GET http://127.0.0.1:8911: Operation timed out", azmi::errc::timeout));
        system_cred cred(mock, {}, test_options(&sleeps), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == azmi::errc::timeout);
        CHECK(r.error().message.rfind("managed identity endpoint: ", 0) == 0);
    }
    SUBCASE("bounded attempts") {
        for (int i = 0; i < 10; ++i) mock->push(500, R"({"error":"server_error"})");
        system_cred cred(mock, {}, test_options(&sleeps), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(r);
        CHECK(r.error().status == 500);
        CHECK(r.error().message.find("after 4 attempts") != std::string::npos);
        CHECK(mock->request_count() == 4);
    }
    SUBCASE("bounded total time") {
        mock->push(429, "", azmi::header_map{{"Retry-After", "60"}});
        system_cred cred(mock, {}, test_options(&sleeps), fake_clock{});
        auto r = cred.try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(r);
        CHECK(r.error().status == 429);
        CHECK(sleeps.empty());  // waiting 60 s would blow the 30 s budget: give up now
    }
}

TEST_CASE("credential: invalidate makes the next call fetch a new token") {
    auto mock = std::make_shared<mock_transport>();
    mock->push(200, token_json("tok-1", t0 + 3600));
    mock->push(200, token_json("tok-2", t0 + 3600));
    system_cred cred(mock, {}, test_options(), fake_clock{});
    auto first = cred.get_token(azmi::storage_scope);
    cred.invalidate(azmi::storage_scope, first);
    CHECK(cred.get_token(azmi::storage_scope).token() == "tok-2");
}

TEST_CASE("credential: the throwing API throws azmi::exception with the same error") {
    auto mock = std::make_shared<mock_transport>();
    mock->push(403, R"({"error":"forbidden"})");
    system_cred cred(mock, {}, test_options(), fake_clock{});
    try {
        (void)cred.get_token(azmi::storage_scope);
        FAIL("expected an exception");
    } catch (const azmi::exception& e) {
        CHECK(e.code() == azmi::errc::authentication);
        CHECK(e.error().status == 403);
        CHECK(std::string(e.what()).find("HTTP 403") != std::string::npos);
    }
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
// End to end, managed identity side: azmi's credentials against the identity emulator over real
// sockets, and the tokens they get against Azurite over HTTPS. Every fault the emulator can inject
// is driven through the credential (and where it matters through blob_reader), checking the typed
// error, the number of token requests the emulator saw, and that no secret reaches a message.
//
// The emulator's fault queue and counters are shared by the whole test run, so CTest runs this
// executable alone (RUN_SERIAL), and each case starts with a reset.
#include "e2e_fixture.hpp"

#include "env_override.hpp"

#include <doctest/doctest.h>

#include <atomic>       // atomic
#include <chrono>       // steady_clock, system_clock, seconds, milliseconds
#include <string>       // string
#include <thread>       // thread, this_thread::sleep_for
#include <vector>       // vector

namespace {

using namespace std::chrono_literals;

constexpr const char* hello = "Hello World!";

/// A fixture with a fresh emulator and a container holding hello.txt.
struct identity_fixture : azmi_test::e2e_fixture {
    identity_fixture() : container(admin, "e2e-identity") {
        emulator.reset();
        admin.put_blob(container.name(), "hello.txt", hello, "text/plain");
    }
    ~identity_fixture() {
        try {
            emulator.reset();  // leave no queued fault to the next test
        } catch (...) {
        }
    }
    azmi_test::scoped_container container;
};

/// Neither the MSI secret nor anything that looks like a JWT may appear in what an error prints.
void check_no_secrets(const azmi::error& e, const std::string& extra_secret = {}) {
    const std::string text = e.to_string();
    CHECK(text.find(azmi_test::require_env("MSI_SECRET")) == std::string::npos);
    CHECK(text.find("eyJ") == std::string::npos);  // base64url of '{"' starts every JWT segment
    if (!extra_secret.empty()) CHECK(text.find(extra_secret) == std::string::npos);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Polls until the emulator has recorded `count` token requests (its handler threads record a
/// request when they answer, so a slow answer the client gave up on is counted later).
bool wait_for_token_requests(azmi_test::emulator_control& emulator, int count) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (emulator.token_requests() < count) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

}  // namespace

TEST_CASE("e2e identity: the system-assigned identity reads hello.txt and sends no clientid") {
    const azmi_test::env_override no_default_id{{"DEFAULT_IDENTITY_CLIENT_ID", nullptr}};
    identity_fixture f;
    const auto reader = f.reader(f.system_identity());

    CHECK(reader.read_to_string(f.container.name(), "hello.txt") == hello);
    CHECK(reader.read_to_string(f.container.name(), "hello.txt") == hello);  // the cached token serves again

    const auto stats = f.emulator.stats();
    REQUIRE(stats.at("token_requests") == 1);
    const auto& request = stats.at("requests").at(0);
    CHECK(request.at("status") == 200);
    CHECK_FALSE(request.at("query").contains("clientid"));
    CHECK(request.at("query").at("resource") == "https://storage.azure.com");
    CHECK(request.at("query").at("api-version") == "2017-09-01");
    CHECK(request.at("headers").at("secret") == "REDACTED");  // sent (the emulator hides its value)
    CHECK(stats.at("by_client_id").at(azmi_test::require_env("AZMI_TEST_SYSTEM_CLIENT_ID")) == 1);
}

TEST_CASE("e2e identity: a user-assigned identity reads hello.txt and sends its clientid") {
    identity_fixture f;
    const std::string user_id = azmi_test::require_env("AZMI_TEST_USER_CLIENT_ID");
    const auto reader = f.reader(f.user_identity());

    CHECK(reader.read_to_string(f.container.name(), "hello.txt") == hello);

    const auto stats = f.emulator.stats();
    REQUIRE(stats.at("token_requests") == 1);
    const auto& request = stats.at("requests").at(0);
    CHECK(request.at("status") == 200);
    CHECK(request.at("query").at("clientid") == user_id);
    CHECK(stats.at("by_client_id").at(user_id) == 1);
    CHECK_FALSE(stats.at("by_client_id").contains(azmi_test::require_env("AZMI_TEST_SYSTEM_CLIENT_ID")));
}

TEST_CASE("e2e identity: DEFAULT_IDENTITY_CLIENT_ID makes the system identity send it as clientid") {
    const std::string system_id = azmi_test::require_env("AZMI_TEST_SYSTEM_CLIENT_ID");
    const azmi_test::env_override default_id{{"DEFAULT_IDENTITY_CLIENT_ID", system_id.c_str()}};
    identity_fixture f;
    CHECK(f.reader(f.system_identity()).read_to_string(f.container.name(), "hello.txt") == hello);
    const auto stats = f.emulator.stats();
    REQUIRE(stats.at("token_requests") == 1);
    CHECK(stats.at("requests").at(0).at("query").at("clientid") == system_id);
}

TEST_CASE("e2e identity: tokens living 4 s are refreshed during a 9 s read loop and every read succeeds") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "lifetime"}, {"seconds", 4}, {"count", 1000}});
    const auto reader = f.reader(f.system_identity());

    int reads = 0;
    int failures = 0;
    const auto start = std::chrono::steady_clock::now();
    while (seconds_since(start) < 9.0) {
        auto text = reader.try_read_to_string(f.container.name(), "hello.txt");
        ++reads;
        if (!text || *text != hello) {
            ++failures;
            if (!text) MESSAGE("read " << reads << " failed: " << text.error().to_string());
        }
        std::this_thread::sleep_for(100ms);
    }
    CHECK(failures == 0);
    CHECK(reads > 20);
    // A 4 s token is refreshed at half-life (2 s), so 9 s need at least 3 tokens; none was
    // refused (a refused token would show up as a failed read or an extra request per read).
    const auto stats = f.emulator.stats();
    const int token_requests = stats.at("token_requests").get<int>();
    MESSAGE(reads << " reads used " << token_requests << " tokens");
    CHECK(token_requests >= 3);
    CHECK(token_requests <= 8);
    for (const auto& request : stats.at("requests")) CHECK(request.at("status") == 200);
}

TEST_CASE("e2e identity: a token that is expired on arrival is refused, not used") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "lifetime"}, {"seconds", 0}});
    auto token = f.system_identity()->try_get_token(azmi::storage_scope);
    REQUIRE_FALSE(token.has_value());
    CHECK(token.error().code == azmi::errc::malformed_response);
    check_no_secrets(token.error());
    CHECK(f.emulator.token_requests() == 1);
}

TEST_CASE("e2e identity: the endpoint's refresh_in decides when a long-lived token is replaced") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "refresh-in"}, {"seconds", 1}, {"count", 100}});
    const auto reader = f.reader(f.system_identity());
    const auto start = std::chrono::steady_clock::now();
    while (seconds_since(start) < 2.6) {
        CHECK(reader.read_to_string(f.container.name(), "hello.txt") == hello);
        std::this_thread::sleep_for(100ms);
    }
    // One-hour tokens would last the whole loop; refresh_in=1 asks for a new one every second.
    CHECK(f.emulator.token_requests() >= 2);
}

TEST_CASE("e2e identity: HTTP 503 with Retry-After is retried after the server's delay, then succeeds") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "status"}, {"status", 503}, {"count", 2}, {"retry_after", 1}});
    const auto start = std::chrono::steady_clock::now();
    CHECK(f.reader(f.system_identity()).read_to_string(f.container.name(), "hello.txt") == hello);
    // Our backoff is 50-100 ms; only honouring "Retry-After: 1" twice takes this long.
    CHECK(seconds_since(start) >= 1.8);
    const auto stats = f.emulator.stats();
    CHECK(stats.at("token_requests") == 3);
    CHECK(stats.at("requests").at(0).at("status") == 503);
    CHECK(stats.at("requests").at(2).at("status") == 200);
}

TEST_CASE("e2e identity: HTTP 500 beyond the retry budget is a typed http_status error") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "status"}, {"status", 500}, {"count", 10}});
    auto token = f.system_identity()->try_get_token(azmi::storage_scope);
    REQUIRE_FALSE(token.has_value());
    const azmi::error& e = token.error();
    CHECK(e.code == azmi::errc::http_status);
    CHECK(e.status == 500);
    CHECK(e.error_code == "emulated_fault");
    CHECK(e.message.find("4 attempts") != std::string::npos);
    CHECK(e.retriable());
    check_no_secrets(e);
    CHECK(f.emulator.token_requests() == 4);  // the first try and managed_identity_options' 3 retries

    // Through the reader the same failure keeps its code and says what was being done.
    f.emulator.reset();
    f.emulator.add_fault({{"kind", "status"}, {"status", 500}, {"count", 10}});
    auto read = f.reader(f.system_identity()).try_read_to_string(f.container.name(), "hello.txt");
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == azmi::errc::http_status);
    CHECK(read.error().message.find("could not get a storage token") != std::string::npos);
}

TEST_CASE("e2e identity: a connection dropped without an answer is retried") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "drop"}});
    CHECK(f.reader(f.system_identity()).read_to_string(f.container.name(), "hello.txt") == hello);
    const auto stats = f.emulator.stats();
    CHECK(stats.at("token_requests").get<int>() >= 2);
    CHECK(stats.at("requests").at(0).at("fault") == "drop");
    CHECK(stats.at("requests").back().at("status") == 200);
}

TEST_CASE("e2e identity: a slow identity endpoint within the timeout is waited for") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "delay"}, {"ms", 1500}});
    const auto start = std::chrono::steady_clock::now();
    CHECK(f.reader(f.system_identity()).read_to_string(f.container.name(), "hello.txt") == hello);
    CHECK(seconds_since(start) >= 1.4);
    CHECK(f.emulator.token_requests() == 1);
}

TEST_CASE("e2e identity: an identity endpoint slower than the transport timeout gives errc::timeout") {
    identity_fixture f;
    auto options = azmi_test::test_transport_options();
    options.total_timeout = 300ms;
    auto impatient = azmi::make_curl_transport(options);
    f.emulator.add_fault({{"kind", "delay"}, {"ms", 1000}, {"count", 4}});
    azmi::system_assigned_credential credential(impatient, azmi::system_assigned{}, azmi_test::fast_identity_options());
    const auto start = std::chrono::steady_clock::now();
    auto token = credential.try_get_token(azmi::storage_scope);
    REQUIRE_FALSE(token.has_value());
    CHECK(token.error().code == azmi::errc::timeout);
    CHECK(seconds_since(start) < 5.0);
    check_no_secrets(token.error());
    CHECK(wait_for_token_requests(f.emulator, 4));  // retried as often as allowed
}

TEST_CASE("e2e identity: each malformed token response is errc::malformed_response without token text") {
    const char* variants[] = {"not-json", "missing-token", "missing-expiry", "bad-expiry", "empty"};
    for (const std::string variant : variants) {
        CAPTURE(variant);
        identity_fixture f;
        f.emulator.add_fault({{"kind", "malformed"}, {"variant", variant}});
        auto token = f.system_identity()->try_get_token(azmi::storage_scope);
        REQUIRE_FALSE(token.has_value());
        CHECK(token.error().code == azmi::errc::malformed_response);
        CHECK(token.error().status == 200);
        check_no_secrets(token.error());
        // A well-formed HTTP answer with a wrong body is not retried: asking again won't fix it.
        CHECK(f.emulator.token_requests() == 1);
    }
}

TEST_CASE("e2e identity: a token response cut short (truncated) is retried and succeeds") {
    identity_fixture f;
    f.emulator.add_fault({{"kind", "malformed"}, {"variant", "truncated"}});
    auto token = f.system_identity()->try_get_token(azmi::storage_scope);
    REQUIRE(token.has_value());
    CHECK_FALSE(token->empty());
    CHECK(f.emulator.token_requests() == 2);
}

TEST_CASE("e2e identity: every expires_on form gives a token that expires when the endpoint said") {
    const char* forms[] = {"epoch-number", "epoch-string", "date-linux", "date-windows", "expires-in-only"};
    for (const std::string form : forms) {
        CAPTURE(form);
        identity_fixture f;
        f.emulator.add_fault({{"kind", "expires-on-form"}, {"form", form}});
        const auto before = std::chrono::system_clock::now();
        auto token = f.system_identity()->try_get_token(azmi::storage_scope);
        REQUIRE(token.has_value());
        // The emulator's default lifetime is 3600 s; every form must decode to that instant.
        const double lifetime = std::chrono::duration<double>(token->expires_on() - before).count();
        CHECK(lifetime > 3600 - 10);
        CHECK(lifetime < 3600 + 10);
        // And the token works against Azurite.
        CHECK(f.reader(f.system_identity()).read_to_string(f.container.name(), "hello.txt") == hello);
    }
}

TEST_CASE("e2e identity: a token Azurite refuses (audience, issuer, expired) is refreshed once, then reported") {
    struct bad_token {
        const char* name;
        nlohmann::json fault;
    };
    const bad_token cases[] = {
        {"wrong audience", {{"kind", "audience"}, {"aud", "https://wrong.example/"}}},
        {"wrong issuer", {{"kind", "issuer"}, {"iss", "https://evil.example/"}}},
        {"expired", {{"kind", "expired"}}},
    };
    for (const auto& c : cases) {
        const std::string name = c.name;
        CAPTURE(name);
        {
            // Bad twice: the first token and its one replacement are both refused.
            identity_fixture f;
            auto fault = c.fault;
            fault["count"] = 2;
            f.emulator.add_fault(fault);
            auto read = f.reader(f.system_identity()).try_read_to_string(f.container.name(), "hello.txt");
            REQUIRE_FALSE(read.has_value());
            const azmi::error& e = read.error();
            CHECK(e.code == azmi::errc::authentication);
            CHECK(e.status == 403);
            CHECK(e.error_code == "AuthenticationFailed");
            CHECK_FALSE(e.request_id.empty());
            CHECK_FALSE(e.client_request_id.empty());
            CHECK(e.message.find("refreshed once") != std::string::npos);
            CHECK_FALSE(e.retriable());
            check_no_secrets(e);
            CHECK(f.emulator.token_requests() == 2);
        }
        {
            // Bad once: the refresh after the 403 fetches a good token and the read succeeds.
            identity_fixture f;
            f.emulator.add_fault(c.fault);
            CHECK(f.reader(f.system_identity()).read_to_string(f.container.name(), "hello.txt") == hello);
            CHECK(f.emulator.token_requests() == 2);
        }
    }
}

TEST_CASE("e2e identity: a wrong MSI secret is errc::authentication and neither secret is in the message") {
    identity_fixture f;
    const std::string wrong = "wrong-secret-e2e-7f3a9c";
    auto options = azmi_test::fast_identity_options();
    options.secret = wrong;
    auto credential = f.system_identity(options);

    auto token = credential->try_get_token(azmi::storage_scope);
    REQUIRE_FALSE(token.has_value());
    CHECK(token.error().code == azmi::errc::authentication);
    CHECK(token.error().status == 401);
    CHECK_FALSE(token.error().retriable());
    check_no_secrets(token.error(), wrong);
    CHECK(f.emulator.token_requests() == 1);  // a refused secret is not retried

    auto read = f.reader(credential).try_read_to_string(f.container.name(), "hello.txt");
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == azmi::errc::authentication);
    check_no_secrets(read.error(), wrong);
}

TEST_CASE("e2e identity: 8 threads sharing a credential fetch one token, and refresh a refused one once") {
    identity_fixture f;
    // Reads "hello.txt" `per_thread` times on each of 8 threads; returns how many succeeded.
    auto read_in_threads = [&f](const azmi::blob_reader& reader, int per_thread) {
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < per_thread; ++i) {
                    auto text = reader.try_read_to_string(f.container.name(), "hello.txt");
                    if (text && *text == hello) ++ok;
                }
            });
        }
        for (auto& t : threads) t.join();
        return ok.load();
    };

    CHECK(read_in_threads(f.reader(f.system_identity()), 5) == 40);
    CHECK(f.emulator.token_requests() == 1);

    // A fresh credential whose first token Azurite refuses: every thread is refused once, and
    // between them they cause exactly one refresh.
    f.emulator.reset();
    f.emulator.add_fault({{"kind", "expired"}});
    CHECK(read_in_threads(f.reader(f.system_identity()), 1) == 8);
    CHECK(f.emulator.token_requests() == 2);
}

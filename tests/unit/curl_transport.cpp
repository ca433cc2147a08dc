// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/transport/curl.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include "loopback_server.hpp"

#include <atomic>     // atomic
#include <chrono>     // steady_clock, milliseconds
#include <cstddef>    // size_t
#include <cstdint>    // uint16_t
#include <cstdlib>    // setenv, unsetenv, getenv
#include <memory>     // shared_ptr
#include <optional>   // optional
#include <stdexcept>  // runtime_error
#include <string>       // string, to_string
#include <string_view>  // string_view
#include <thread>     // thread
#include <vector>     // vector

using namespace std::chrono_literals;
using azmi_test::loopback_server;
using azmi_test::recorded_request;
using azmi_test::scripted_reply;

namespace {

constexpr const char* proxy_variables[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                           "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};

// The machine running the tests may have proxies configured; every request to 127.0.0.1 must go
// straight to the test server unless a test sets a proxy itself.
struct proxy_environment_cleared {
    proxy_environment_cleared() {
        for (const char* name : proxy_variables) ::unsetenv(name);
    }
} const clear_proxies_at_startup;

/// Sets (or unsets) one environment variable for a scope, restoring the old value after.
class scoped_env {
public:
    scoped_env(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) old_ = old;
        if (value) ::setenv(name_.c_str(), value->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
    ~scoped_env() {
        if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }

private:
    std::string name_;
    std::optional<std::string> old_;
};

/// Short limits, so that no test can hang on a broken transport or server.
azmi::curl_transport_options test_options() {
    azmi::curl_transport_options o;
    o.connect_timeout = 2s;
    o.total_timeout = 20s;
    o.low_speed_limit = 1;
    o.low_speed_time = 5s;
    return o;
}

azmi::http_request get(std::string url) {
    azmi::http_request r;
    r.url = std::move(url);
    return r;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Records every chunk; returns false (stop) once it has `stop_after` chunks, or throws if asked.
struct recording_sink final : azmi::body_sink {
    std::vector<std::string> chunks;
    std::size_t stop_after = static_cast<std::size_t>(-1);
    bool throw_on_write = false;

    bool write(std::string_view chunk) override {
        if (throw_on_write) throw std::runtime_error("sink failed");
        chunks.emplace_back(chunk);
        return chunks.size() < stop_after;
    }
    std::string joined() const {
        std::string out;
        for (const auto& c : chunks) out += c;
        return out;
    }
};

std::string pattern(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + i % 26);
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("curl_transport: sends method, target, custom headers and body exactly") {
    loopback_server server;
    server.push(scripted_reply::http(200, "ok"));
    auto http = azmi::make_curl_transport(test_options());

    azmi::http_request post;
    post.method = azmi::http_method::post;
    post.url = server.url("/upload?comp=block&x=%2F");
    post.headers.add("X-Custom", "value one");
    post.headers.add("Content-Type", "application/json");
    post.headers.add("X-Empty", "");
    post.body = R"({"a":1})";
    auto res = http->send(post);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "ok");

    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 1);
    const recorded_request& r = reqs[0];
    CHECK(r.raw.rfind("POST /upload?comp=block&x=%2F HTTP/1.1\r\n", 0) == 0);
    CHECK(contains(r.raw, "\r\nX-Custom: value one\r\n"));
    CHECK(contains(r.raw, "\r\nX-Empty:\r\n"));
    CHECK(r.header("Content-Type") == "application/json");
    CHECK(r.header_count("Content-Type") == 1);
    CHECK(r.header("Content-Length") == "7");
    CHECK(r.body == R"({"a":1})");
    CHECK(r.header("Host") == server.authority());
    CHECK(r.header("User-Agent") == std::string("azmi/") + azmi::version_string);
    // libcurl's defaults that would change what the server sees are gone.
    CHECK(r.header_count("Accept") == 0);
    CHECK(r.header_count("Expect") == 0);
    CHECK(r.header_count("Accept-Encoding") == 0);
}

TEST_CASE("curl_transport: PUT, DELETE and bodiless POST are framed correctly") {
    loopback_server server;
    server.set_handler([](const recorded_request&) { return scripted_reply::http(201); });
    auto http = azmi::make_curl_transport(test_options());

    azmi::http_request put;
    put.method = azmi::http_method::put;
    put.url = server.url("/c/blob");
    put.body = pattern(2 * 1024 * 1024);  // above 1 MiB libcurl would add Expect: 100-continue
    put.headers.add("Content-Length", "1");  // wrong on purpose: framing is the transport's job
    REQUIRE(http->send(put));

    azmi::http_request del;
    del.method = azmi::http_method::delete_;
    del.url = server.url("/c/blob");
    REQUIRE(http->send(del));

    azmi::http_request empty_post;
    empty_post.method = azmi::http_method::post;
    empty_post.url = server.url("/token");
    REQUIRE(http->send(empty_post));

    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 3);
    CHECK(reqs[0].raw.rfind("PUT /c/blob HTTP/1.1\r\n", 0) == 0);
    CHECK(reqs[0].header("Content-Length") == std::to_string(2 * 1024 * 1024));
    CHECK(reqs[0].header_count("Content-Length") == 1);
    CHECK(reqs[0].body == put.body);
    CHECK(reqs[0].header_count("Expect") == 0);
    CHECK(reqs[0].header_count("Content-Type") == 0);  // no invented form encoding

    CHECK(reqs[1].raw.rfind("DELETE /c/blob HTTP/1.1\r\n", 0) == 0);
    CHECK(reqs[1].body.empty());

    CHECK(reqs[2].raw.rfind("POST /token HTTP/1.1\r\n", 0) == 0);
    CHECK(reqs[2].header("Content-Length") == "0");
    CHECK(reqs[2].header_count("Content-Type") == 0);
    CHECK(server.connections() == 1);
}

TEST_CASE("curl_transport: User-Agent comes from the options, and a request header overrides it") {
    loopback_server server;
    server.set_handler([](const recorded_request&) { return scripted_reply::http(200); });
    auto options = test_options();
    options.user_agent = "scorer/1.0";
    auto http = azmi::make_curl_transport(options);

    REQUIRE(http->send(get(server.url("/a"))));
    auto own = get(server.url("/b"));
    own.headers.add("User-Agent", "mine/2");
    REQUIRE(http->send(own));

    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].header("User-Agent") == "scorer/1.0");
    CHECK(reqs[1].header("User-Agent") == "mine/2");
    CHECK(reqs[1].header_count("User-Agent") == 1);
}

TEST_CASE("curl_transport: HEAD returns status and headers without waiting for a body") {
    loopback_server server;
    server.push(scripted_reply::raw("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"0x8D1\"\r\n\r\n"));
    server.push(scripted_reply::http(200, "after"));
    auto http = azmi::make_curl_transport(test_options());

    azmi::http_request head = get(server.url("/c/blob"));
    head.method = azmi::http_method::head;
    recording_sink sink;
    auto res = http->send(head, sink);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->headers.get("content-length") == std::string_view("1234"));
    CHECK(res->headers.get("ETag") == std::string_view("\"0x8D1\""));
    CHECK(res->body.empty());
    CHECK(sink.chunks.empty());
    REQUIRE(server.request_count() == 1);
    CHECK(server.requests()[0].raw.rfind("HEAD /c/blob HTTP/1.1\r\n", 0) == 0);

    // The connection is still in sync: the next request reuses it.
    auto next = http->send(get(server.url("/next")));
    REQUIRE(next);
    CHECK(next->body == "after");
    CHECK(server.connections() == 1);
}

TEST_CASE("curl_transport: parses status and headers case-insensitively, keeping only the final block") {
    loopback_server server;
    server.push(scripted_reply::raw(
        "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
        "HTTP/1.1 201 Created\r\ncontent-TYPE: text/plain\r\nX-MS-Request-Id: abc-123\r\n"
        "X-Multi: 1\r\nx-multi: 2\r\nX-Spaced:   padded value  \r\nContent-Length: 4\r\n\r\nbody"));
    auto http = azmi::make_curl_transport(test_options());

    auto res = http->send(get(server.url("/")));
    REQUIRE(res);
    CHECK(res->status == 201);
    CHECK(res->headers.get("Content-Type") == std::string_view("text/plain"));
    CHECK(res->headers.get("x-ms-request-id") == std::string_view("abc-123"));
    CHECK(res->headers.get("X-Spaced") == std::string_view("padded value"));
    CHECK_FALSE(res->headers.contains("X-Interim"));
    std::vector<std::string> multi;
    for (const auto& f : res->headers)
        if (azmi::detail::iequals(f.first, "x-multi")) multi.push_back(f.second);
    CHECK(multi == std::vector<std::string>{"1", "2"});
    CHECK(res->body == "body");
}

TEST_CASE("curl_transport: returns a 302 as a response and does not follow it") {
    loopback_server server;
    server.push(scripted_reply::http(302, "", {{"Location", server.url("/elsewhere")}}));
    server.set_handler([](const recorded_request&) { return scripted_reply::http(200, "followed"); });
    auto http = azmi::make_curl_transport(test_options());

    auto req = get(server.url("/start"));
    req.headers.add("Authorization", "Bearer SECRETTOKEN");
    auto res = http->send(req);
    REQUIRE(res);
    CHECK(res->status == 302);
    CHECK(res->headers.get("Location") == std::string_view(server.url("/elsewhere")));
    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].target == "/start");
}

TEST_CASE("curl_transport: buffers a 404 body and never calls the sink for it") {
    loopback_server server;
    const std::string document = "<?xml version=\"1.0\"?><Error><Code>BlobNotFound</Code></Error>";
    server.push(scripted_reply::http(404, document, {{"x-ms-error-code", "BlobNotFound"}}));
    auto http = azmi::make_curl_transport(test_options());

    recording_sink sink;
    auto res = http->send(get(server.url("/c/missing")), sink);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK_FALSE(res->ok());
    CHECK(res->body == document);
    CHECK(res->headers.get("x-ms-error-code") == std::string_view("BlobNotFound"));
    CHECK(sink.chunks.empty());
}

TEST_CASE("curl_transport: caps a buffered error body at error_body_limit") {
    loopback_server server;
    server.push(scripted_reply::http(500, pattern(100)));
    server.push(scripted_reply::http(200, "fine"));
    auto options = test_options();
    options.error_body_limit = 10;
    auto http = azmi::make_curl_transport(options);

    auto res = http->send(get(server.url("/")));
    REQUIRE(res);
    CHECK(res->status == 500);
    CHECK(res->body == pattern(10));
    // A 2xx body is not capped, and the transport still works after the cut-off transfer.
    auto ok = http->send(get(server.url("/")));
    REQUIRE(ok);
    CHECK(ok->body == "fine");
}

TEST_CASE("curl_transport: streams a 2xx body to the sink in several chunks") {
    loopback_server server;
    const std::string body = pattern(4000);
    auto reply = scripted_reply::raw(scripted_reply::head(200, {}, body.size()));
    for (std::size_t at = 0; at < body.size(); at += 1000) reply.then(body.substr(at, 1000), 40ms);
    server.push(reply);
    auto http = azmi::make_curl_transport(test_options());

    recording_sink sink;
    auto res = http->send(get(server.url("/c/big")), sink);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.empty());
    CHECK(sink.chunks.size() >= 2);
    CHECK(sink.joined() == body);
}

TEST_CASE("curl_transport: chunked transfer coding is decoded before the sink") {
    loopback_server server;
    server.push(scripted_reply::raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                    .then("6\r\n world\r\n0\r\n\r\n", 30ms));
    auto http = azmi::make_curl_transport(test_options());

    recording_sink sink;
    auto res = http->send(get(server.url("/")), sink);
    REQUIRE(res);
    CHECK(sink.joined() == "hello world");
}

TEST_CASE("curl_transport: a sink returning false cancels the transfer") {
    loopback_server server;
    const std::string body = pattern(3000);
    auto reply = scripted_reply::raw(scripted_reply::head(200, {}, body.size()) + body.substr(0, 1000));
    reply.then(body.substr(1000, 1000), 40ms).then(body.substr(2000), 40ms);
    server.push(reply);
    server.push(scripted_reply::http(200, "again"));
    auto http = azmi::make_curl_transport(test_options());

    recording_sink sink;
    sink.stop_after = 1;
    auto res = http->send(get(server.url("/")), sink);
    REQUIRE_FALSE(res);
    CHECK(res.error().code == azmi::errc::cancelled);
    CHECK(contains(res.error().message, "sink"));
    CHECK(sink.chunks.size() == 1);
    CHECK_FALSE(res.error().retriable());

    auto next = http->send(get(server.url("/")));
    REQUIRE(next);
    CHECK(next->body == "again");
}

TEST_CASE("curl_transport: an exception from the sink propagates out of send, not through libcurl") {
    loopback_server server;
    server.push(scripted_reply::http(200, "boom"));
    server.push(scripted_reply::http(200, "after"));
    auto http = azmi::make_curl_transport(test_options());

    recording_sink sink;
    sink.throw_on_write = true;
    CHECK_THROWS_AS(static_cast<void>(http->send(get(server.url("/")), sink)), std::runtime_error);
    auto next = http->send(get(server.url("/")));
    REQUIRE(next);
    CHECK(next->body == "after");
}

TEST_CASE("curl_transport: a body shorter than Content-Length is truncated after delivering the prefix") {
    loopback_server server;
    const std::string prefix = pattern(40);
    server.set_handler([&prefix](const recorded_request&) {
        return scripted_reply::raw(scripted_reply::head(200, {{"x-ms-request-id", "rid-7"}}, 100) + prefix).and_close();
    });
    auto http = azmi::make_curl_transport(test_options());

    SUBCASE("streamed") {
        recording_sink sink;
        auto res = http->send(get(server.url("/c/blob")), sink);
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::truncated);
        CHECK(sink.joined() == prefix);
        CHECK(contains(res.error().message, "40 of 100"));
        CHECK(res.error().status == 200);
        CHECK(res.error().request_id == "rid-7");
        CHECK(res.error().retriable());
    }
    SUBCASE("buffered") {
        auto res = http->send(get(server.url("/c/blob")));
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::truncated);
    }
}

TEST_CASE("curl_transport: a chunked body cut before its last chunk is truncated") {
    loopback_server server;
    server.push(scripted_reply::raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").and_close());
    auto http = azmi::make_curl_transport(test_options());

    recording_sink sink;
    auto res = http->send(get(server.url("/")), sink);
    REQUIRE_FALSE(res);
    CHECK(res.error().code == azmi::errc::truncated);
    CHECK(sink.joined() == "hello");
}

TEST_CASE("curl_transport: a connection reset mid-body is truncated after delivering the prefix") {
    loopback_server server;
    server.push(scripted_reply::raw(scripted_reply::head(200, {}, 100) + pattern(40)).and_stall(200ms).and_reset());
    auto http = azmi::make_curl_transport(test_options());

    recording_sink sink;
    auto res = http->send(get(server.url("/")), sink);
    REQUIRE_FALSE(res);
    CHECK(res.error().code == azmi::errc::truncated);
    CHECK(sink.joined() == pattern(40));
}

TEST_CASE("curl_transport: a server that closes without answering is errc::transport") {
    loopback_server server;
    server.push(scripted_reply{}.and_close());
    auto http = azmi::make_curl_transport(test_options());

    auto res = http->send(get(server.url("/")));
    REQUIRE_FALSE(res);
    CHECK(res.error().code == azmi::errc::transport);
    CHECK(res.error().retriable());
    CHECK(contains(res.error().message, server.authority()));
}

TEST_CASE("curl_transport: connection refused is errc::transport naming host and port, never secrets") {
    const std::uint16_t port = azmi_test::refused_port();
    auto http = azmi::make_curl_transport(test_options());

    auto req = get("http://127.0.0.1:" + std::to_string(port) + "/c/b?sv=2021&sig=SECRETSIGNATURE");
    req.headers.add("Authorization", "Bearer SECRETTOKEN");
    req.headers.add("secret", "MSISECRETVALUE");
    auto res = http->send(req);
    REQUIRE_FALSE(res);
    const azmi::error& e = res.error();
    CHECK(e.code == azmi::errc::transport);
    CHECK(e.retriable());
    CHECK(contains(e.message, "GET http://127.0.0.1:" + std::to_string(port)));
    CHECK(contains(e.message, "curl error 7"));
    for (const std::string& text : {e.message, e.to_string()}) {
        CHECK_FALSE(contains(text, "SECRETTOKEN"));
        CHECK_FALSE(contains(text, "MSISECRETVALUE"));
        CHECK_FALSE(contains(text, "SECRETSIGNATURE"));
        CHECK_FALSE(contains(text, "/c/b"));
    }
}

TEST_CASE("curl_transport: a silent server times out within total_timeout") {
    loopback_server server;
    server.push(scripted_reply::silence(10s));
    auto options = test_options();
    options.total_timeout = 300ms;
    auto http = azmi::make_curl_transport(options);

    const auto start = std::chrono::steady_clock::now();
    auto res = http->send(get(server.url("/")));
    const double elapsed = seconds_since(start);
    REQUIRE_FALSE(res);
    CHECK(res.error().code == azmi::errc::timeout);
    CHECK(res.error().retriable());
    CHECK(elapsed >= 0.25);
    CHECK(elapsed < 5.0);
}

TEST_CASE("curl_transport: a body that stalls trips the low-speed limit") {
    loopback_server server;
    server.push(scripted_reply::raw(scripted_reply::head(200, {}, 100) + "x").and_stall(15s).and_close());
    auto options = test_options();
    options.total_timeout = 0ms;  // only the low-speed check may end this
    options.low_speed_limit = 1;
    options.low_speed_time = 1s;
    auto http = azmi::make_curl_transport(options);

    recording_sink sink;
    const auto start = std::chrono::steady_clock::now();
    auto res = http->send(get(server.url("/")), sink);
    const double elapsed = seconds_since(start);
    REQUIRE_FALSE(res);
    CHECK(res.error().code == azmi::errc::timeout);
    CHECK(sink.joined() == "x");
    CHECK(elapsed < 10.0);
}

TEST_CASE("curl_transport: sequential requests reuse one keep-alive connection") {
    loopback_server server;
    server.set_handler([](const recorded_request& r) { return scripted_reply::http(200, r.target); });
    auto http = azmi::make_curl_transport(test_options());

    for (int i = 0; i < 5; ++i) {
        auto res = http->send(get(server.url("/n" + std::to_string(i))));
        REQUIRE(res);
        CHECK(res->body == "/n" + std::to_string(i));
    }
    CHECK(server.connections() == 1);
    for (const auto& r : server.requests()) CHECK(r.connection == 1);
    CHECK(http->idle_connections() == 1);
}

TEST_CASE("curl_transport: max_connections = 0 opens a fresh connection per request") {
    loopback_server server;
    server.set_handler([](const recorded_request&) { return scripted_reply::http(200); });
    auto options = test_options();
    options.max_connections = 0;
    auto http = azmi::make_curl_transport(options);

    for (int i = 0; i < 3; ++i) REQUIRE(http->send(get(server.url("/"))));
    CHECK(server.wait_for_connections(3, 2s));
    CHECK(server.connections() == 3);
    CHECK(http->idle_connections() == 0);
}

TEST_CASE("curl_transport: a kept connection the server closed is replaced transparently") {
    loopback_server server;
    server.push(scripted_reply::http(200, "first").and_close());
    server.push(scripted_reply::http(200, "second"));
    auto http = azmi::make_curl_transport(test_options());

    auto a = http->send(get(server.url("/")));
    REQUIRE(static_cast<bool>(a));
    CHECK(a->body == "first");
    std::this_thread::sleep_for(50ms);  // let the FIN arrive
    auto b = http->send(get(server.url("/")));
    REQUIRE(b);
    CHECK(b->body == "second");
    CHECK(server.connections() == 2);
}

TEST_CASE("curl_transport: concurrent sends from several threads all succeed") {
    loopback_server server;
    server.set_handler([](const recorded_request& r) { return scripted_reply::http(200, r.target); });
    auto http = azmi::make_curl_transport(test_options());

    constexpr int threads = 6;
    constexpr int per_thread = 10;
    std::atomic<int> succeeded{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const std::string target = "/t" + std::to_string(t) + "/r" + std::to_string(i);
                auto res = http->send(get(server.url(target)));
                if (res && res->status == 200 && res->body == target) ++succeeded;
            }
        });
    }
    for (auto& th : pool) th.join();
    CHECK(succeeded.load() == threads * per_thread);
    CHECK(server.request_count() == static_cast<std::size_t>(threads * per_thread));
    // Handles are only created when none is idle, so connections never exceed the concurrency.
    CHECK(server.connections() <= static_cast<std::size_t>(threads));
}

TEST_CASE("curl_transport: bypass_proxy reaches the server although a dead proxy is configured") {
    loopback_server server;
    server.set_handler([](const recorded_request&) { return scripted_reply::http(200, "direct"); });
    const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(azmi_test::refused_port());
    scoped_env lower("http_proxy", dead_proxy);
    scoped_env upper("HTTP_PROXY", dead_proxy);
    auto http = azmi::make_curl_transport(test_options());

    auto msi = get(server.url("/msi/token?resource=x"));
    msi.bypass_proxy = true;
    msi.headers.add("secret", "MSISECRETVALUE");
    auto res = http->send(msi);
    REQUIRE(res);
    CHECK(res->body == "direct");
    REQUIRE(server.request_count() == 1);
    CHECK(server.requests()[0].header("secret") == "MSISECRETVALUE");

    // The same request without bypass_proxy really does go to the (dead) proxy.
    auto normal = get(server.url("/normal"));
    auto failed = http->send(normal);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == azmi::errc::transport);
    CHECK(server.request_count() == 1);
}

TEST_CASE("curl_transport: without bypass_proxy a request goes through the configured proxy") {
    loopback_server server;
    server.set_handler([](const recorded_request&) { return scripted_reply::http(200, "direct"); });
    loopback_server proxy;
    proxy.set_handler([](const recorded_request&) { return scripted_reply::http(200, "via proxy"); });
    scoped_env lower("http_proxy", proxy.url(""));
    scoped_env upper("HTTP_PROXY", proxy.url(""));
    auto http = azmi::make_curl_transport(test_options());

    auto res = http->send(get(server.url("/p")));
    REQUIRE(res);
    CHECK(res->body == "via proxy");
    REQUIRE(proxy.request_count() == 1);
    CHECK(proxy.requests()[0].target == server.url("/p"));  // absolute form: a proxy request
    CHECK(server.request_count() == 0);

    auto msi = get(server.url("/msi"));
    msi.bypass_proxy = true;
    msi.headers.add("secret", "MSISECRETVALUE");
    auto direct = http->send(msi);
    REQUIRE(direct);
    CHECK(direct->body == "direct");
    CHECK(server.request_count() == 1);
    CHECK(proxy.request_count() == 1);
    for (const auto& r : proxy.requests()) CHECK_FALSE(contains(r.raw, "MSISECRETVALUE"));
}

TEST_CASE("curl_transport: PATH_AS_IS sends dot segments verbatim") {
    loopback_server server;
    server.set_handler([](const recorded_request&) { return scripted_reply::http(200); });
    auto http = azmi::make_curl_transport(test_options());

    REQUIRE(http->send(get(server.url("/c/a/../b"))));
    REQUIRE(http->send(get(server.url("/./x"))));
    REQUIRE(http->send(get(server.url("/c/dir/./../y?q=/../z"))));
    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 3);
    CHECK(reqs[0].target == "/c/a/../b");
    CHECK(reqs[1].target == "/./x");
    CHECK(reqs[2].target == "/c/dir/./../y?q=/../z");
}

TEST_CASE("curl_transport: https to a plain-http port fails with errc::transport") {
    loopback_server server;
    auto http = azmi::make_curl_transport(test_options());

    auto res = http->send(get("https://127.0.0.1:" + std::to_string(server.port()) + "/c/b"));
    REQUIRE_FALSE(res);
    CHECK(res.error().code == azmi::errc::transport);
    CHECK(contains(res.error().message, "https://127.0.0.1:" + std::to_string(server.port())));
    CHECK(server.connections() == 1);  // it did connect; the TLS handshake is what failed
    CHECK(server.request_count() == 0);
}

TEST_CASE("curl_transport: refuses malformed requests before any I/O, without echoing values") {
    loopback_server server;
    auto http = azmi::make_curl_transport(test_options());

    SUBCASE("CR LF in a header value") {
        auto req = get(server.url("/"));
        req.headers.add("X-Bad", "SECRETPART\r\nInjected: yes");
        auto res = http->send(req);
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::invalid_argument);
        CHECK(contains(res.error().message, "X-Bad"));
        CHECK_FALSE(contains(res.error().message, "SECRETPART"));
        CHECK_FALSE(contains(res.error().message, "Injected"));
    }
    SUBCASE("a header name that is not a token") {
        auto req = get(server.url("/"));
        req.headers.add("Bad Name", "v");
        auto res = http->send(req);
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::invalid_argument);
    }
    SUBCASE("a GET with a body") {
        auto req = get(server.url("/"));
        req.body = "unexpected";
        auto res = http->send(req);
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::invalid_argument);
    }
    SUBCASE("a scheme other than http(s)") {
        auto res = http->send(get("ftp://127.0.0.1:" + std::to_string(server.port()) + "/x"));
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::invalid_argument);
    }
    SUBCASE("user information in the URL") {
        auto res = http->send(get("http://user:PASSWORD@127.0.0.1:" + std::to_string(server.port()) + "/x"));
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::invalid_argument);
        CHECK_FALSE(contains(res.error().message, "PASSWORD"));
    }
    SUBCASE("a relative URL") {
        auto res = http->send(get("/just/a/path"));
        REQUIRE_FALSE(res);
        CHECK(res.error().code == azmi::errc::invalid_argument);
    }
    CHECK(server.request_count() == 0);
    CHECK(server.connections() == 0);
}

TEST_CASE("curl_transport: make_curl_transport and default_curl_transport") {
    static_assert(azmi::is_transport_v<azmi::curl_transport>, "curl_transport is a transport");
    auto a = azmi::default_curl_transport();
    auto b = azmi::default_curl_transport();
    REQUIRE(static_cast<bool>(a));
    CHECK(a.get() == b.get());
    CHECK(a->options().error_body_limit == 1024 * 1024);
    CHECK(a->options().user_agent == std::string("azmi/") + azmi::version_string);

    auto options = test_options();
    options.max_connections = 3;
    auto c = azmi::make_curl_transport(options);
    REQUIRE(static_cast<bool>(c));
    CHECK(c.get() != a.get());
    CHECK(c->options().max_connections == 3);

    // Usable through the interface every credential and reader takes.
    loopback_server server;
    server.push(scripted_reply::http(204));
    std::shared_ptr<azmi::transport> as_base = a;
    auto res = as_base->send(get(server.url("/")));
    REQUIRE(res);
    CHECK(res->status == 204);
}

TEST_CASE("curl_transport: detail helpers scrub secrets and split the authority for messages") {
    CHECK(azmi::detail::scrub_secrets("x SECRET y SECRETSECRET", {"SECRET"}) == "x REDACTED y REDACTEDREDACTED");
    CHECK(azmi::detail::scrub_secrets("x SECRET", {""}) == "x SECRET");

    auto v6 = azmi::detail::parse_request_url("HTTP://[::1]:8081/p?sig=S");
    REQUIRE(v6);
    CHECK(azmi::detail::origin_with_port(*v6) == "http://[::1]:8081");
    auto defaulted = azmi::detail::parse_request_url("https://Account.Blob.Core.Windows.Net?x=1");
    REQUIRE(defaulted);
    CHECK(azmi::detail::origin_with_port(*defaulted) == "https://account.blob.core.windows.net:443");
    CHECK_FALSE(azmi::detail::parse_request_url("http://:80/"));
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/testing/mock_transport.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <algorithm>    // min
#include <atomic>       // atomic
#include <chrono>       // steady_clock, milliseconds
#include <cstddef>      // size_t
#include <memory>       // make_shared
#include <string>       // string, stoul
#include <string_view>  // string_view
#include <thread>       // thread
#include <vector>       // vector

using namespace std::chrono_literals;
using azmi::http_method;
using azmi::testing::mock_transport;
using azmi::testing::scripted_response;

namespace {

azmi::http_request request(std::string url, http_method method = http_method::get) {
    azmi::http_request r;
    r.method = method;
    r.url = std::move(url);
    return r;
}

class collecting_sink final : public azmi::body_sink {
public:
    std::vector<std::string> chunks;
    std::size_t stop_after = static_cast<std::size_t>(-1);  // refuse the chunk after this many

    bool write(std::string_view chunk) override {
        chunks.emplace_back(chunk);
        return chunks.size() <= stop_after;
    }
    std::string joined() const {
        std::string out;
        for (const auto& c : chunks) out += c;
        return out;
    }
};

/// Serves `blob` by the `x-ms-range: bytes=first-last` header, as a Get Blob with a range does.
scripted_response serve_range(const std::string& blob, const azmi::http_request& r) {
    const auto range = r.headers.get("x-ms-range");
    if (!range) return scripted_response::reply(200, blob);
    const std::string spec(range->substr(6));  // after "bytes="
    const auto dash = spec.find('-');
    const std::size_t first = std::stoul(spec.substr(0, dash));
    const std::size_t last = std::stoul(spec.substr(dash + 1));
    if (first >= blob.size()) return scripted_response::reply(416, "<Error><Code>InvalidRange</Code></Error>");
    const std::size_t end = std::min(last + 1, blob.size());
    return scripted_response::reply(
        206, blob.substr(first, end - first),
        {{"Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(end - 1) + "/" +
                               std::to_string(blob.size())}});
}

}  // namespace

TEST_CASE("mock_transport: pushed answers come back first in, first out") {
    mock_transport mock;
    mock.push(200, "first").push(201, "second");  // push chains
    mock.push(scripted_response::reply(202, "third", {{"ETag", "\"0x1\""}}));
    CHECK(mock.pending() == 3);

    const auto a = mock.send(request("https://h/1"));
    const auto b = mock.send(request("https://h/2"));
    CHECK(mock.pending() == 1);
    const auto c = mock.send(request("https://h/3"));
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(a->status == 200);
    CHECK(a->body == "first");
    CHECK(b->status == 201);
    CHECK(b->body == "second");
    CHECK(c->status == 202);
    CHECK(c->body == "third");
    CHECK(c->headers.get("etag") == std::string_view("\"0x1\""));
    CHECK(mock.pending() == 0);
}

TEST_CASE("mock_transport: with nothing scripted a send fails errc::transport, saying why") {
    mock_transport mock;
    mock.push(200);
    REQUIRE(mock.send(request("https://h/a")));

    azmi::http_request head = request("https://h/b", http_method::head);
    head.headers.set("secret", "msi-secret-value");
    const auto r = mock.send(head);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::transport);
    CHECK(r.error().message == "mock_transport: no scripted answer for HEAD request number 2");  // no header values
    CHECK(mock.request_count() == 2);  // the unanswered request is still recorded
}

TEST_CASE("mock_transport: rules are tried before the queue") {
    mock_transport mock;
    mock.push(200, "queued");
    mock.add_rule(mock_transport::match(http_method::get, "/special"), scripted_response::reply(203, "rule"));

    const auto special = mock.send(request("https://h/special/x"));
    REQUIRE(special);
    CHECK(special->status == 203);
    CHECK(special->body == "rule");
    CHECK(mock.pending() == 1);  // the queue was not touched

    const auto other = mock.send(request("https://h/other"));
    REQUIRE(other);
    CHECK(other->body == "queued");

    // times = 0: the rule answers every time.
    for (int i = 0; i < 5; ++i) {
        const auto again = mock.send(request("https://h/special"));
        REQUIRE(again);
        CHECK(again->status == 203);
    }
}

TEST_CASE("mock_transport: match checks the method, match_url any method") {
    mock_transport mock;
    mock.add_rule(mock_transport::match(http_method::head, "/blob"), scripted_response::reply(200, "", {{"x-kind", "head"}}));
    mock.add_rule(mock_transport::match_url("/blob"), scripted_response::reply(200, "", {{"x-kind", "any"}}));

    CHECK(mock.send(request("https://h/blob", http_method::head)).value().headers.get("x-kind") == std::string_view("head"));
    CHECK(mock.send(request("https://h/blob", http_method::get)).value().headers.get("x-kind") == std::string_view("any"));
    CHECK(mock.send(request("https://h/blob", http_method::post)).value().headers.get("x-kind") == std::string_view("any"));
    CHECK_FALSE(mock.send(request("https://h/other")).has_value());  // neither rule matches, queue empty
}

TEST_CASE("mock_transport: a rule with times answers that often, then the queue takes over") {
    mock_transport mock;
    mock.add_rule(mock_transport::match_url("/x"), scripted_response::reply(503, "busy"), 2);
    mock.push(200, "fallback");

    const auto first = mock.send(request("https://h/x"));
    const auto second = mock.send(request("https://h/x"));
    const auto third = mock.send(request("https://h/x"));
    REQUIRE(first);
    REQUIRE(second);
    REQUIRE(third);
    CHECK(first->status == 503);
    CHECK(second->status == 503);
    CHECK(third->status == 200);
    CHECK(third->body == "fallback");
    CHECK_FALSE(mock.send(request("https://h/x")).has_value());  // rule used up, queue empty
}

TEST_CASE("mock_transport: rules are tried in the order added") {
    mock_transport mock;
    mock.add_rule(mock_transport::match_url("/"), scripted_response::reply(500), 1);
    mock.add_rule(mock_transport::match_url("/"), scripted_response::reply(200));

    CHECK(mock.send(request("https://h/")).value().status == 500);  // first rule, once
    CHECK(mock.send(request("https://h/")).value().status == 200);  // then the second
    CHECK(mock.send(request("https://h/")).value().status == 200);
}

TEST_CASE("mock_transport: a responder sees the request and can serve byte ranges") {
    const std::string blob = "0123456789abcdefghij";
    mock_transport mock;
    mock.add_rule(mock_transport::match(http_method::get, "/c/blob"),
                  mock_transport::responder([&blob](const azmi::http_request& r) { return serve_range(blob, r); }));

    azmi::http_request r = request("https://h/c/blob");
    r.headers.set("x-ms-range", "bytes=5-9");
    auto part = mock.send(r);
    REQUIRE(part);
    CHECK(part->status == 206);
    CHECK(part->body == "56789");
    CHECK(part->headers.get("Content-Range") == std::string_view("bytes 5-9/20"));
    CHECK(part->headers.get("Content-Length") == std::string_view("5"));

    r.headers.set("x-ms-range", "bytes=16-31");
    part = mock.send(r);
    REQUIRE(part);
    CHECK(part->body == "ghij");
    CHECK(part->headers.get("Content-Range") == std::string_view("bytes 16-19/20"));

    r.headers.set("x-ms-range", "bytes=20-29");
    part = mock.send(r);
    REQUIRE(part);
    CHECK(part->status == 416);

    r.headers.erase("x-ms-range");
    part = mock.send(r);
    REQUIRE(part);
    CHECK(part->status == 200);
    CHECK(part->body == blob);
}

TEST_CASE("mock_transport: requests() records every request in order with headers and body") {
    mock_transport mock;
    mock.push(200).push(200);

    azmi::http_request token = request("http://127.0.0.1:8911/msi/token?resource=x");
    token.headers.set("Metadata", "true");
    token.bypass_proxy = true;
    azmi::http_request post = request("https://h/form", http_method::post);
    post.headers.set("Content-Type", "application/x-www-form-urlencoded");
    post.body = "resource=https%3A%2F%2Fstorage.azure.com";

    (void)mock.send(token);
    (void)mock.send(post);

    const auto seen = mock.requests();
    REQUIRE(seen.size() == 2);
    CHECK(mock.request_count() == 2);
    CHECK(seen[0].method == http_method::get);
    CHECK(seen[0].url == "http://127.0.0.1:8911/msi/token?resource=x");
    CHECK(seen[0].headers.get("metadata") == std::string_view("true"));
    CHECK(seen[0].bypass_proxy);
    CHECK(seen[0].body.empty());
    CHECK(seen[1].method == http_method::post);
    CHECK(seen[1].url == "https://h/form");
    CHECK(seen[1].headers.get("Content-Type") == std::string_view("application/x-www-form-urlencoded"));
    CHECK(seen[1].body == "resource=https%3A%2F%2Fstorage.azure.com");
    CHECK_FALSE(seen[1].bypass_proxy);
}

TEST_CASE("mock_transport: fail() makes the send fail with that error") {
    mock_transport mock;
    mock.push(scripted_response::fail("connection refused"));
    mock.push(scripted_response::fail("operation timed out", azmi::errc::timeout));

    const auto refused = mock.send(request("https://h/"));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == azmi::errc::transport);
    CHECK(refused.error().message == "connection refused");

    collecting_sink sink;
    const auto timed_out = mock.send(request("https://h/"), sink);
    REQUIRE_FALSE(timed_out.has_value());
    CHECK(timed_out.error().code == azmi::errc::timeout);
    CHECK(timed_out.error().message == "operation timed out");
    CHECK(sink.chunks.empty());
    CHECK(mock.request_count() == 2);
}

TEST_CASE("mock_transport: a rule can fail a limited number of times before succeeding") {
    mock_transport mock;
    mock.add_rule(mock_transport::match_url("/"), scripted_response::fail("reset by peer"), 2);
    mock.push(200, "ok");
    const auto first = mock.send(request("https://h/"));
    const auto second = mock.send(request("https://h/"));
    REQUIRE_FALSE(first);
    REQUIRE_FALSE(second);
    CHECK(first.error().code == azmi::errc::transport);
    CHECK(second.error().message == "reset by peer");
    CHECK(mock.send(request("https://h/")).value().body == "ok");
}

TEST_CASE("mock_transport: truncated() hands the sink exactly the prefix, then fails errc::truncated") {
    mock_transport mock;
    mock.set_chunk_size(3);
    mock.push(scripted_response::truncated(200, "0123456789", 7));

    collecting_sink sink;
    const auto r = mock.send(request("https://h/c/b"), sink);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::truncated);
    CHECK(r.error().message == "mock_transport: body cut after 7 of 10 bytes");
    CHECK(sink.joined() == "0123456");
    CHECK(sink.chunks == std::vector<std::string>{"012", "345", "6"});
}

TEST_CASE("mock_transport: truncated() without a sink also fails errc::truncated") {
    mock_transport mock;
    mock.push(scripted_response::truncated(206, "abcdef", 0));
    const auto r = mock.send(request("https://h/"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::truncated);
    CHECK(r.error().message == "mock_transport: body cut after 0 of 6 bytes");
}

TEST_CASE("mock_transport: truncated() at or past the body's length delivers it whole") {
    mock_transport mock;
    mock.push(scripted_response::truncated(200, "abc", 3));
    mock.push(scripted_response::truncated(200, "abc", 99));
    for (int i = 0; i < 2; ++i) {
        collecting_sink sink;
        const auto r = mock.send(request("https://h/"), sink);
        REQUIRE(r.has_value());
        CHECK(sink.joined() == "abc");
    }
}

TEST_CASE("mock_transport: a sink gets the body in set_chunk_size pieces") {
    mock_transport mock;

    SUBCASE("small chunks") {
        mock.set_chunk_size(4);
        mock.push(200, "abcdefghij");
        collecting_sink sink;
        const auto r = mock.send(request("https://h/"), sink);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->body.empty());  // streamed, not buffered
        CHECK(r->headers.get("Content-Length") == std::string_view("10"));
        CHECK(sink.chunks == std::vector<std::string>{"abcd", "efgh", "ij"});
    }
    SUBCASE("zero means one byte") {
        mock.set_chunk_size(0);
        mock.push(206, "xyz");
        collecting_sink sink;
        REQUIRE(mock.send(request("https://h/"), sink));
        CHECK(sink.chunks == std::vector<std::string>{"x", "y", "z"});
    }
    SUBCASE("default is 16 KiB") {
        mock.push(200, std::string(40000, 'q'));
        collecting_sink sink;
        REQUIRE(mock.send(request("https://h/"), sink));
        REQUIRE(sink.chunks.size() == 3);
        CHECK(sink.chunks[0].size() == 16384);
        CHECK(sink.chunks[1].size() == 16384);
        CHECK(sink.chunks[2].size() == 40000 - 2 * 16384);
        CHECK(sink.joined() == std::string(40000, 'q'));
    }
    SUBCASE("an empty body never calls the sink") {
        mock.push(200, "");
        collecting_sink sink;
        const auto r = mock.send(request("https://h/"), sink);
        REQUIRE(r);
        CHECK(sink.chunks.empty());
        CHECK(r->headers.get("Content-Length") == std::string_view("0"));
    }
}

TEST_CASE("mock_transport: a sink returning false cancels the transfer") {
    mock_transport mock;
    mock.set_chunk_size(2);
    mock.push(200, "abcdefgh");
    collecting_sink sink;
    sink.stop_after = 1;  // accept "ab", refuse "cd"

    const auto r = mock.send(request("https://h/"), sink);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::cancelled);
    CHECK(r.error().message.find("sink") != std::string::npos);
    CHECK(sink.chunks == std::vector<std::string>{"ab", "cd"});  // nothing after the refusal
}

TEST_CASE("mock_transport: a non-2xx body is buffered and the sink is not called") {
    mock_transport mock;
    const std::string error_body = "<?xml version=\"1.0\"?><Error><Code>BlobNotFound</Code></Error>";
    mock.push(404, error_body, {{"x-ms-error-code", "BlobNotFound"}});
    mock.push(304, "not modified");
    mock.push(503, "busy");

    for (int status : {404, 304, 503}) {
        CAPTURE(status);
        collecting_sink sink;
        const auto r = mock.send(request("https://h/c/b"), sink);
        REQUIRE(r.has_value());  // an HTTP error status is an answer, not a transport error
        CHECK(r->status == status);
        CHECK_FALSE(r->body.empty());
        CHECK(sink.chunks.empty());
        if (status == 404) {
            CHECK(r->body == error_body);
            CHECK(r->headers.get("x-ms-error-code") == std::string_view("BlobNotFound"));
        }
    }
}

TEST_CASE("mock_transport: HEAD gets no body but keeps Content-Length") {
    mock_transport mock;
    mock.push(200, "hello");
    mock.push(200, "", {{"Content-Length", "1048576"}});

    collecting_sink sink;
    const auto computed = mock.send(request("https://h/c/b", http_method::head), sink);
    REQUIRE(computed);
    CHECK(computed->status == 200);
    CHECK(computed->body.empty());
    CHECK(sink.chunks.empty());
    CHECK(computed->headers.get("Content-Length") == std::string_view("5"));

    const auto scripted = mock.send(request("https://h/c/b", http_method::head));
    REQUIRE(scripted);
    CHECK(scripted->body.empty());
    CHECK(scripted->headers.get("content-length") == std::string_view("1048576"));  // kept as scripted
}

TEST_CASE("mock_transport: a scripted Content-Length is not overwritten") {
    mock_transport mock;
    mock.push(200, "abc", {{"content-length", "10"}});
    const auto r = mock.send(request("https://h/"));
    REQUIRE(r);
    CHECK(r->body == "abc");
    CHECK(r->headers.get("Content-Length") == std::string_view("10"));
    CHECK(r->headers.size() == 1);  // no second Content-Length was added
}

TEST_CASE("mock_transport: after() delays the answer") {
    mock_transport mock;
    mock.push(scripted_response::reply(200, "late").after(60ms));
    mock.push(scripted_response::fail("late failure").after(30ms));

    auto start = std::chrono::steady_clock::now();
    const auto r = mock.send(request("https://h/"));
    auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(r);
    CHECK(r->body == "late");
    CHECK(elapsed >= 60ms);
    CHECK(elapsed < 5s);  // bounded: it waits once, not forever

    start = std::chrono::steady_clock::now();
    const auto f = mock.send(request("https://h/"));
    elapsed = std::chrono::steady_clock::now() - start;
    CHECK_FALSE(f.has_value());
    CHECK(elapsed >= 30ms);
    CHECK(elapsed < 5s);

    CHECK(scripted_response::reply(200).after(7ms).delay == 7ms);
    CHECK(scripted_response::reply(200).delay == 0ms);
}

TEST_CASE("mock_transport: concurrent sends are all answered and recorded") {
    auto mock = std::make_shared<mock_transport>();
    mock->add_rule(mock_transport::match_url("/c/"), scripted_response::reply(200, "ok"));
    constexpr int threads = 8;
    constexpr int per_thread = 100;
    std::atomic<int> ok{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const auto r = mock->send(request("https://h/c/" + std::to_string(t) + "/" + std::to_string(i)));
                if (r && r->body == "ok") ++ok;
            }
        });
    }
    for (auto& th : pool) th.join();
    CHECK(ok.load() == threads * per_thread);
    CHECK(mock->request_count() == static_cast<std::size_t>(threads * per_thread));
    CHECK(mock->requests().size() == static_cast<std::size_t>(threads * per_thread));
}

TEST_CASE("mock_transport: concurrent sends each take a different queued answer") {
    mock_transport mock;
    constexpr int total = 200;
    for (int i = 0; i < total; ++i) mock.push(200, std::to_string(i));
    std::vector<std::vector<int>> seen(4);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < seen.size(); ++t) {
        pool.emplace_back([&mock, &seen, t] {
            for (int i = 0; i < total / 4; ++i) seen[t].push_back(std::stoi(mock.send(request("https://h/")).value().body));
        });
    }
    for (auto& th : pool) th.join();
    std::vector<bool> used(total, false);
    for (const auto& s : seen)
        for (int n : s) used[static_cast<std::size_t>(n)] = true;
    for (int i = 0; i < total; ++i) CHECK(used[static_cast<std::size_t>(i)]);  // each answer exactly once
    CHECK(mock.pending() == 0);
}

TEST_CASE("mock_transport: reset() forgets requests, queued answers and rules") {
    mock_transport mock;
    mock.add_rule(mock_transport::match_url("/rule"), scripted_response::reply(204));
    mock.push(200).push(200);
    REQUIRE(mock.send(request("https://h/rule")));
    REQUIRE(mock.send(request("https://h/queue")));
    CHECK(mock.request_count() == 2);
    CHECK(mock.pending() == 1);

    mock.reset();
    CHECK(mock.request_count() == 0);
    CHECK(mock.requests().empty());
    CHECK(mock.pending() == 0);

    const auto r = mock.send(request("https://h/rule"));  // the rule is gone too
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::transport);
    CHECK(r.error().message.find("request number 1") != std::string::npos);

    mock.push(201);
    CHECK(mock.send(request("https://h/")).value().status == 201);  // usable again after reset
}

TEST_CASE("mock_transport: is a transport usable through shared_ptr<transport>") {
    static_assert(azmi::is_transport_v<mock_transport>, "plugs in wherever azmi takes a transport");
    auto mock = std::make_shared<mock_transport>();
    std::shared_ptr<azmi::transport> base = mock;
    mock->push(200, "via base");
    const auto r = base->send(request("https://h/"));
    REQUIRE(r);
    CHECK(r->body == "via base");
    CHECK(mock->request_count() == 1);
}

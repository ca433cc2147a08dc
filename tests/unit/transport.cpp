// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/transport.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <memory>       // shared_ptr, make_shared
#include <string>       // string
#include <string_view>  // string_view
#include <type_traits>  // is_abstract_v, has_virtual_destructor_v
#include <vector>       // vector

namespace {

/// What a user writes to plug their own HTTP stack in: one override, nothing else.
/// Answers 200 with the request URL as the body, or 404 for URLs containing "missing",
/// or fails for URLs containing "down".
class echo_transport final : public azmi::transport {
public:
    int calls = 0;
    bool last_had_sink = false;

protected:
    azmi::result<azmi::http_response> do_send(const azmi::http_request& request, azmi::body_sink* sink) override {
        ++calls;
        last_had_sink = sink != nullptr;
        if (request.url.find("down") != std::string::npos)
            return azmi::error(azmi::errc::transport, "echo_transport: host is down");
        azmi::http_response response;
        response.status = request.url.find("missing") != std::string::npos ? 404 : 200;
        response.headers.set("Content-Length", std::to_string(request.url.size()));
        if (sink != nullptr && response.ok()) {
            // Hand the body over in two pieces, as a real transport hands over network reads.
            const std::string_view body = request.url;
            const auto half = body.size() / 2;
            if (!sink->write(body.substr(0, half)) || !sink->write(body.substr(half)))
                return azmi::error(azmi::errc::cancelled, "echo_transport: sink stopped");
        } else {
            response.body = request.url;
        }
        return response;
    }
};

class collecting_sink final : public azmi::body_sink {
public:
    std::vector<std::string> chunks;
    bool keep_going = true;

    bool write(std::string_view chunk) override {
        chunks.emplace_back(chunk);
        return keep_going;
    }
    std::string joined() const {
        std::string out;
        for (const auto& c : chunks) out += c;
        return out;
    }
};

/// Has a member with the right signature but is not a transport.
struct look_alike {
    azmi::result<azmi::http_response> send(const azmi::http_request&) { return azmi::http_response{}; }
};

azmi::http_request get(std::string url) {
    azmi::http_request r;
    r.url = std::move(url);
    return r;
}

}  // namespace

TEST_CASE("transport: is_transport_v accepts transport subclasses only") {
    static_assert(azmi::is_transport_v<azmi::transport>, "the base itself");
    static_assert(azmi::is_transport_v<echo_transport>, "a user-defined subclass");
    static_assert(!azmi::is_transport_v<int>, "not a class");
    static_assert(!azmi::is_transport_v<std::string>, "unrelated class");
    static_assert(!azmi::is_transport_v<look_alike>, "duck typing is not enough");
    static_assert(!azmi::is_transport_v<azmi::body_sink>, "the other interface");
    CHECK(azmi::is_transport_v<echo_transport>);
    CHECK_FALSE(azmi::is_transport_v<look_alike>);
}

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
namespace {
template <azmi::transport_like T>
constexpr bool takes_transport() {
    return true;
}
template <class T>
constexpr bool takes_transport() {
    return false;
}
}  // namespace

TEST_CASE("transport: transport_like concept matches is_transport_v (C++20)") {
    static_assert(azmi::transport_like<echo_transport>);
    static_assert(azmi::transport_like<azmi::transport>);
    static_assert(!azmi::transport_like<look_alike>);
    static_assert(!azmi::transport_like<int>);
    // Overload resolution picks the constrained template only for transports.
    CHECK(takes_transport<echo_transport>());
    CHECK_FALSE(takes_transport<look_alike>());
    CHECK_FALSE(takes_transport<std::string>());
}
#endif

TEST_CASE("transport: the interfaces are abstract with virtual destructors") {
    static_assert(std::is_abstract_v<azmi::transport>, "do_send is pure");
    static_assert(std::is_abstract_v<azmi::body_sink>, "write is pure");
    static_assert(std::has_virtual_destructor_v<azmi::transport>, "owned through shared_ptr<transport>");
    static_assert(std::has_virtual_destructor_v<azmi::body_sink>, "deleted through the base");
    CHECK(std::has_virtual_destructor_v<azmi::transport>);
}

TEST_CASE("transport: a custom transport answers a buffered send through the base class") {
    auto echo = std::make_shared<echo_transport>();
    std::shared_ptr<azmi::transport> base = echo;  // how credentials and readers hold it

    const auto r = base->send(get("https://h/c/b"));
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body == "https://h/c/b");
    CHECK(r->headers.get("content-length") == std::string_view("13"));
    CHECK(echo->calls == 1);
    CHECK_FALSE(echo->last_had_sink);  // buffered send passes a null sink
}

TEST_CASE("transport: a custom transport streams a 2xx body into the sink") {
    echo_transport echo;
    azmi::transport& base = echo;
    collecting_sink sink;

    const auto r = base.send(get("https://h/c/blob"), sink);
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body.empty());  // the bytes went to the sink
    CHECK(echo.last_had_sink);
    REQUIRE(sink.chunks.size() == 2);
    CHECK(sink.joined() == "https://h/c/blob");
}

TEST_CASE("transport: a custom transport buffers a non-2xx body even when given a sink") {
    echo_transport echo;
    azmi::transport& base = echo;
    collecting_sink sink;

    const auto r = base.send(get("https://h/missing"), sink);
    REQUIRE(r.has_value());
    CHECK(r->status == 404);
    CHECK(r->body == "https://h/missing");
    CHECK(sink.chunks.empty());
}

TEST_CASE("transport: errors from do_send come back unchanged through both overloads") {
    echo_transport echo;
    azmi::transport& base = echo;

    const auto buffered = base.send(get("https://down/"));
    REQUIRE_FALSE(buffered.has_value());
    CHECK(buffered.error().code == azmi::errc::transport);
    CHECK(buffered.error().message == "echo_transport: host is down");

    collecting_sink sink;
    sink.keep_going = false;
    const auto streamed = base.send(get("https://h/c/b"), sink);
    REQUIRE_FALSE(streamed.has_value());
    CHECK(streamed.error().code == azmi::errc::cancelled);
    CHECK(sink.chunks.size() == 1);  // the transport stopped after the sink said so
    CHECK(echo.calls == 2);
}

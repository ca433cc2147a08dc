// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `testing::mock_transport`: a scripted, recording transport for unit tests, ours and yours.
///
/// It needs no test framework. Script answers in order (`push`) or by rule (`add_rule`),
/// inject connection failures, truncated bodies and latency, then assert on `requests()`.
///
/// Example:
///     auto mock = std::make_shared<azmi::testing::mock_transport>();
///     mock->push(200, R"({"access_token":"t","expires_in":3600})");
///     azmi::system_assigned_credential cred{mock, options};
///     assert(mock->requests().at(0).headers.get("Metadata") == "true");

#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/transport.hpp>
#include <azmi/version.hpp>

#include <algorithm>   // min
#include <chrono>      // milliseconds
#include <cstddef>     // size_t
#include <deque>       // deque
#include <functional>  // function
#include <mutex>       // mutex, lock_guard
#include <optional>    // optional
#include <string>      // string
#include <thread>      // this_thread::sleep_for
#include <utility>     // move
#include <vector>      // vector

AZMI_BEGIN_NAMESPACE
namespace testing {

/// One scripted answer: a response, or a failure to produce one.
struct scripted_response {
    int status = 200;
    header_map headers;
    std::string body;
    /// When set, the send fails with this error instead of answering (e.g. connection refused).
    std::optional<error> failure;
    /// When set, only this many body bytes are delivered, then the send fails `errc::truncated`.
    std::optional<std::size_t> truncate_after;
    /// Time to wait before answering (latency, or to hold threads in a race).
    std::chrono::milliseconds delay{0};

    /// A response with `status`, `body` and `headers`.
    static scripted_response reply(int status, std::string body = {}, header_map headers = {}) {
        scripted_response r;
        r.status = status;
        r.body = std::move(body);
        r.headers = std::move(headers);
        return r;
    }
    /// A failed send (`errc::transport` unless another code is given).
    static scripted_response fail(std::string message, errc code = errc::transport) {
        scripted_response r;
        r.failure = error(code, std::move(message));
        return r;
    }
    /// A response whose body is cut after `bytes` bytes.
    static scripted_response truncated(int status, std::string body, std::size_t bytes, header_map headers = {}) {
        scripted_response r = reply(status, std::move(body), std::move(headers));
        r.truncate_after = bytes;
        return r;
    }
    /// This response, answered after `d`.
    scripted_response after(std::chrono::milliseconds d) && {
        delay = d;
        return std::move(*this);
    }
};

/// A transport that answers from a script and records every request. Thread-safe.
class mock_transport final : public transport {
public:
    using matcher = std::function<bool(const http_request&)>;
    using responder = std::function<scripted_response(const http_request&)>;

    /// Matches requests with method `method` whose URL contains `url_part`.
    static matcher match(http_method method, std::string url_part = {}) {
        return [method, part = std::move(url_part)](const http_request& r) {
            return r.method == method && r.url.find(part) != std::string::npos;
        };
    }
    /// Matches requests whose URL contains `url_part`, any method.
    static matcher match_url(std::string url_part) {
        return [part = std::move(url_part)](const http_request& r) { return r.url.find(part) != std::string::npos; };
    }

    /// Queues an answer for the next request that no rule matches (first in, first out).
    mock_transport& push(scripted_response response) {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(response));
        return *this;
    }
    mock_transport& push(int status, std::string body = {}, header_map headers = {}) {
        return push(scripted_response::reply(status, std::move(body), std::move(headers)));
    }

    /// Answers requests matching `match` with `response`, `times` times (0: every time).
    /// Rules are tried in the order added, before the queue.
    mock_transport& add_rule(matcher match, scripted_response response, std::size_t times = 0) {
        return add_rule(std::move(match), [response](const http_request&) { return response; }, times);
    }
    /// Answers requests matching `match` with whatever `respond` computes (e.g. a byte range).
    mock_transport& add_rule(matcher match, responder respond, std::size_t times = 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        rules_.push_back(rule{std::move(match), std::move(respond), times, times == 0});
        return *this;
    }

    /// Size of the pieces a streamed body is handed to the sink in (default 16 KiB).
    void set_chunk_size(std::size_t bytes) {
        std::lock_guard<std::mutex> lock(mutex_);
        chunk_size_ = bytes == 0 ? 1 : bytes;
    }

    /// Every request sent so far, in order.
    std::vector<http_request> requests() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }
    std::size_t request_count() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_.size();
    }
    /// Answers queued with `push` and not used yet.
    std::size_t pending() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return queue_.size();
    }
    /// Forgets recorded requests, queued answers and rules.
    void reset() {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.clear();
        queue_.clear();
        rules_.clear();
    }

protected:
    result<http_response> do_send(const http_request& request, body_sink* sink) override {
        std::optional<scripted_response> answer;
        std::size_t chunk_size = 0;
        std::size_t number = 0;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            requests_.push_back(request);
            number = requests_.size();
            chunk_size = chunk_size_;
            for (auto& r : rules_) {
                if ((r.unlimited || r.remaining > 0) && r.match(request)) {
                    if (!r.unlimited) --r.remaining;
                    answer = r.respond(request);
                    break;
                }
            }
            if (!answer && !queue_.empty()) {
                answer = std::move(queue_.front());
                queue_.pop_front();
            }
        }
        if (!answer) {
            return error(errc::transport, std::string("mock_transport: no scripted answer for ") +
                                              to_string(request.method) + " request number " +
                                              std::to_string(number));
        }
        if (answer->delay.count() > 0) std::this_thread::sleep_for(answer->delay);
        if (answer->failure) return *answer->failure;

        http_response response;
        response.status = answer->status;
        response.headers = std::move(answer->headers);
        if (!response.headers.contains("Content-Length"))
            response.headers.set("Content-Length", std::to_string(answer->body.size()));
        if (request.method == http_method::head) return response;

        std::string_view body = answer->body;
        const bool cut = answer->truncate_after && *answer->truncate_after < body.size();
        if (cut) body = body.substr(0, *answer->truncate_after);

        if (sink != nullptr && response.ok()) {
            for (std::size_t at = 0; at < body.size(); at += chunk_size) {
                if (!sink->write(body.substr(at, std::min(chunk_size, body.size() - at))))
                    return error(errc::cancelled, "mock_transport: the body sink stopped the transfer");
            }
        } else {
            response.body = std::string(body);
        }
        if (cut) {
            return error(errc::truncated, "mock_transport: body cut after " + std::to_string(body.size()) + " of " +
                                              std::to_string(answer->body.size()) + " bytes");
        }
        return response;
    }

private:
    struct rule {
        matcher match;
        responder respond;
        std::size_t remaining;
        bool unlimited;
    };

    mutable std::mutex mutex_;
    std::vector<http_request> requests_;
    std::deque<scripted_response> queue_;
    std::vector<rule> rules_;
    std::size_t chunk_size_ = 16 * 1024;
};

}  // namespace testing
AZMI_END_NAMESPACE

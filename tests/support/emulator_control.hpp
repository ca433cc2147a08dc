// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The identity emulator's control API (scripts/identity-emulator): queue faults for the next
/// token requests, reset, and read the request statistics. The emulator is shared by every test
/// of a run, so tests that use this must not run beside other token users (CTest RUN_SERIAL).

#include <azmi/detail/json.hpp>  // nlohmann::json, through azmi's one JSON header
#include <azmi/http.hpp>
#include <azmi/transport.hpp>

#include <memory>     // shared_ptr
#include <stdexcept>  // runtime_error
#include <string>     // string
#include <utility>    // move

namespace azmi_test {

class emulator_control {
public:
    /// `control_url` is AZMI_EMULATOR_CONTROL, e.g. http://127.0.0.1:PORT/control.
    emulator_control(std::shared_ptr<azmi::transport> transport, std::string control_url)
        : transport_(std::move(transport)), url_(std::move(control_url)) {}

    /// Clears queued faults, counters and the request log.
    void reset() { call(azmi::http_method::post, "/reset", "{}"); }

    /// Queues one fault object or a list of them, e.g. {"kind":"status","status":503,"count":2}.
    void add_fault(const nlohmann::json& fault) { call(azmi::http_method::post, "/faults", fault.dump()); }

    /// {"token_requests", "by_client_id", "faults_pending", "requests": [{query, headers, status, …}], …}
    nlohmann::json stats() {
        const auto body = call(azmi::http_method::get, "/stats", "");
        return nlohmann::json::parse(body);
    }

    int token_requests() { return stats().at("token_requests").get<int>(); }

private:
    std::string call(azmi::http_method method, const char* path, std::string body) {
        azmi::http_request request;
        request.method = method;
        request.url = url_ + path;
        request.body = std::move(body);
        if (method == azmi::http_method::post) request.headers.set("Content-Type", "application/json");
        request.bypass_proxy = true;
        auto response = transport_->send(request);
        if (!response) throw std::runtime_error("emulator control " + std::string(path) + ": " + response.error().to_string());
        if (response->status != 200)
            throw std::runtime_error("emulator control " + std::string(path) + ": HTTP " +
                                     std::to_string(response->status) + ": " + response->body);
        return std::move(response->body);
    }

    std::shared_ptr<azmi::transport> transport_;
    std::string url_;
};

}  // namespace azmi_test

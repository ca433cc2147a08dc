// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Inputs shared by the micro benchmarks: a token response shaped like the ones the identity
/// emulator and Azure ML send, and the options of a credential that talks to a mock endpoint.

#include <azmi/credential.hpp>

#include <chrono>   // seconds
#include <cstddef>  // size_t
#include <string>   // string

namespace azmi_bench {

/// `count` base64url characters, deterministic: JWT segments are made of these.
inline std::string base64url_filler(std::size_t count, unsigned seed) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        seed = seed * 1103515245u + 12345u;
        out += alphabet[(seed >> 16) & 63u];
    }
    return out;
}

/// A JWT as long as the emulator's and Entra's storage tokens (about 1.1 KB): a header, about
/// 700 characters of claims and an RS256-sized signature.
inline std::string realistic_jwt() {
    return "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + base64url_filler(700, 1) + "." + base64url_filler(342, 2);
}

/// The Azure ML answer: `expires_on` as a numeric string, plus the fields it always sends.
inline std::string token_response_body(long long expires_on_epoch) {
    return R"({"access_token":")" + realistic_jwt() + R"(","expires_on":")" + std::to_string(expires_on_epoch) +
           R"(","expires_in":"86399","resource":"https://storage.azure.com","token_type":"Bearer",)"
           R"("client_id":"5e1f0a1d-0000-4000-8000-00000000a1a1"})";
}

/// A token response valid for a day from now.
inline std::string day_long_token_response() {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return token_response_body(static_cast<long long>(now) + 86400);
}

/// Credential options for a mock endpoint: nothing read from the environment.
inline azmi::managed_identity_options mock_endpoint_options() {
    azmi::managed_identity_options options;
    options.endpoint = "http://127.0.0.1:9/msi/token";
    options.secret = "benchmark-secret-not-a-real-one";
    options.system_client_id = "5e1f0a1d-0000-4000-8000-00000000a1a1";
    return options;
}

}  // namespace azmi_bench

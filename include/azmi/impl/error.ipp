// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of error.hpp: `errc` names, `error::retriable` and `error::to_string`.

#include <azmi/error.hpp>

#include <string>  // string, to_string

AZMI_BEGIN_NAMESPACE

AZMI_DECL const char* to_string(errc code) noexcept {
    switch (code) {
    case errc::invalid_argument: return "invalid_argument";
    case errc::not_configured: return "not_configured";
    case errc::transport: return "transport";
    case errc::timeout: return "timeout";
    case errc::truncated: return "truncated";
    case errc::http_status: return "http_status";
    case errc::authentication: return "authentication";
    case errc::authorization: return "authorization";
    case errc::blob_not_found: return "blob_not_found";
    case errc::container_not_found: return "container_not_found";
    case errc::condition_not_met: return "condition_not_met";
    case errc::invalid_range: return "invalid_range";
    case errc::malformed_response: return "malformed_response";
    case errc::integrity: return "integrity";
    case errc::io: return "io";
    case errc::cancelled: return "cancelled";
    }
    return "unknown";
}

AZMI_DECL bool error::retriable() const noexcept {
    switch (code) {
    case errc::transport:
    case errc::timeout:
    case errc::truncated: return true;
    case errc::http_status:
    case errc::malformed_response:
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    default: return false;
    }
}

AZMI_DECL std::string error::to_string() const {
    std::string out = "azmi: ";
    out += azmi::to_string(code);
    out += ": ";
    out += message;
    std::string details;
    auto append = [&details](const std::string& part) {
        if (!details.empty()) details += ", ";
        details += part;
    };
    if (status != 0) append("HTTP " + std::to_string(status));
    if (!error_code.empty()) append(error_code);
    if (!request_id.empty()) append("request id " + request_id);
    if (!client_request_id.empty()) append("client request id " + client_request_id);
    if (!details.empty()) out += " [" + details + "]";
    return out;
}

AZMI_END_NAMESPACE

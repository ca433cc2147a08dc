// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Managed identity token responses: the only place azmi includes nlohmann/json.
///
/// Accepts every form the Azure endpoints send (REST-SPEC §4.3): `expires_on` as a JSON number,
/// a numeric string, or an App Service 2017 date string ("06/20/2019 02:57:58 +00:00" on Linux,
/// "1/16/2020 5:24:12 AM +00:00" on Windows), else `expires_in` from the request time; and
/// `refresh_in`. Error messages name fields and say what was wrong with them, but never quote
/// the token or the body it came in.

#include <azmi/detail/http_date.hpp>  // days_from_civil
#include <azmi/error.hpp>
#include <azmi/version.hpp>

#include <nlohmann/json.hpp>

#include <chrono>       // system_clock, seconds
#include <cstdint>      // int64_t
#include <optional>     // optional
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

using sys_time = std::chrono::system_clock::time_point;

/// A successful token response, reduced to what a cache needs.
struct token_response {
    std::string access_token;
    sys_time expires_on{};
    /// When the endpoint says to refresh (`refresh_in`), relative to the request time.
    std::optional<sys_time> refresh_at;
};

constexpr unsigned days_in_month(unsigned year, unsigned month) noexcept {
    constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : lengths[month - 1];
}

/// Parses "M/D/YYYY H:MM:SS [AM|PM] +HH:MM" (one or two digit month, day and hour), the App
/// Service 2017 `expires_on` forms. Returns nothing for anything else.
inline std::optional<sys_time> parse_app_service_date(std::string_view text) {
    std::size_t at = 0;
    auto number = [&](std::size_t min_digits, std::size_t max_digits) -> std::optional<unsigned> {
        std::size_t digits = 0;
        unsigned value = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9' && digits < max_digits) {
            value = value * 10 + static_cast<unsigned>(text[at] - '0');
            ++at;
            ++digits;
        }
        if (digits < min_digits) return std::nullopt;
        return value;
    };
    auto expect = [&](char c) {
        if (at < text.size() && text[at] == c) {
            ++at;
            return true;
        }
        return false;
    };
    const auto month = number(1, 2);
    if (!month || !expect('/')) return std::nullopt;
    const auto day = number(1, 2);
    if (!day || !expect('/')) return std::nullopt;
    const auto year = number(4, 4);
    if (!year || !expect(' ')) return std::nullopt;
    auto hour = number(1, 2);
    if (!hour || !expect(':')) return std::nullopt;
    const auto minute = number(2, 2);
    if (!minute || !expect(':')) return std::nullopt;
    const auto second = number(2, 2);
    if (!second || !expect(' ')) return std::nullopt;
    if (text.substr(at, 3) == "AM " || text.substr(at, 3) == "PM ") {
        const bool pm = text[at] == 'P';
        if (*hour < 1 || *hour > 12) return std::nullopt;
        hour = (*hour % 12) + (pm ? 12u : 0u);
        at += 3;
    }
    if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return std::nullopt;
    const bool east = text[at] == '+';
    ++at;
    const auto offset_hours = number(2, 2);
    if (!offset_hours || !expect(':')) return std::nullopt;
    const auto offset_minutes = number(2, 2);
    if (!offset_minutes || at != text.size()) return std::nullopt;

    if (*month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month) || *hour > 23 || *minute > 59 ||
        *second > 60 || *offset_hours > 14 || *offset_minutes > 59)
        return std::nullopt;
    const std::int64_t days = days_from_civil(*year, *month, *day);
    std::int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second;
    const std::int64_t offset = (*offset_hours * 3600 + *offset_minutes * 60);
    seconds += east ? -offset : offset;  // "+02:00" is two hours ahead of UTC
    return sys_time(std::chrono::seconds(seconds));
}

/// Largest accepted `expires_on`, in epoch seconds (year 2200): far enough for any real token,
/// small enough that every `system_clock` (libstdc++ counts nanoseconds, good to 2262) holds it.
inline constexpr std::int64_t max_epoch_seconds = 7'258'118'400;
/// Largest accepted `expires_in` / `refresh_in`: ten years.
inline constexpr std::int64_t max_relative_seconds = 315'360'000;

/// Seconds from a non-negative JSON number or a string holding only digits, at most `max`;
/// nothing otherwise. Bounding here keeps time-point arithmetic from overflowing.
inline std::optional<std::int64_t> json_seconds(const nlohmann::json& value, std::int64_t max) {
    std::optional<std::int64_t> seconds;
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(max)) seconds = static_cast<std::int64_t>(u);
    } else if (value.is_number_integer()) {
        seconds = value.get<std::int64_t>();
    } else if (value.is_number_float()) {
        const double d = value.get<double>();
        if (d >= 0 && d <= static_cast<double>(max)) seconds = static_cast<std::int64_t>(d);
    } else if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (!s.empty() && s.size() <= 12 && s.find_first_not_of("0123456789") == std::string::npos) seconds = std::stoll(s);
    }
    if (!seconds || *seconds < 0 || *seconds > max) return std::nullopt;
    return seconds;
}

/// A short, safe description of a JSON value for error messages about non-secret fields.
inline std::string describe_json_value(const nlohmann::json& value) {
    std::string text = value.is_string() ? "\"" + value.get<std::string>() + "\"" : value.dump();
    if (text.size() > 64) text = text.substr(0, 61) + "...";
    return text;
}

/// Parses a managed identity token response. `request_time` is when the request was sent:
/// `expires_in` and `refresh_in` count from then, as the SDKs do.
inline result<token_response> parse_token_response(std::string_view body, sys_time request_time) {
    auto malformed = [](std::string what) {
        return error(errc::malformed_response, "identity endpoint response " + std::move(what));
    };
    const nlohmann::json doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return malformed("is not valid JSON (" + std::to_string(body.size()) + " bytes)");
    if (!doc.is_object()) return malformed("is JSON but not an object");

    token_response out;
    const auto token = doc.find("access_token");
    if (token == doc.end()) return malformed("has no \"access_token\"");
    if (!token->is_string() || token->get_ref<const std::string&>().empty())
        return malformed("has an \"access_token\" that is not a non-empty string");
    out.access_token = token->get<std::string>();

    const auto expires_on = doc.find("expires_on");
    const auto expires_in = doc.find("expires_in");
    if (expires_on != doc.end() && !expires_on->is_null()) {
        if (auto epoch = json_seconds(*expires_on, max_epoch_seconds)) {
            out.expires_on = sys_time(std::chrono::seconds(*epoch));
        } else if (auto date = expires_on->is_string() ? parse_app_service_date(expires_on->get<std::string>())
                                                       : std::nullopt) {
            out.expires_on = *date;
        } else {
            return malformed("has an \"expires_on\" that is neither epoch seconds nor a date: " +
                             describe_json_value(*expires_on));
        }
    } else if (expires_in != doc.end() && !expires_in->is_null()) {
        const auto seconds = json_seconds(*expires_in, max_relative_seconds);
        if (!seconds) return malformed("has an \"expires_in\" that is not a number of seconds: " + describe_json_value(*expires_in));
        out.expires_on = request_time + std::chrono::seconds(*seconds);
    } else {
        return malformed("has neither \"expires_on\" nor \"expires_in\"");
    }

    const auto refresh_in = doc.find("refresh_in");
    if (refresh_in != doc.end() && !refresh_in->is_null()) {
        const auto seconds = json_seconds(*refresh_in, max_relative_seconds);
        if (!seconds) return malformed("has a \"refresh_in\" that is not a number of seconds: " + describe_json_value(*refresh_in));
        out.refresh_at = request_time + std::chrono::seconds(*seconds);
    }
    return out;
}

/// The error fields of an identity endpoint's error body, in any of the shapes Azure sends:
/// `{"error":"…","error_description":"…"}` (IMDS, AAD), `{"error":{"code":"…","message":"…"}}`
/// (Service Fabric), `{"statusCode":…,"message":"…"}` (App Service).
struct endpoint_error_body {
    std::string code;
    std::string description;
};

inline std::optional<endpoint_error_body> parse_endpoint_error(std::string_view body) {
    const nlohmann::json doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
    endpoint_error_body out;
    auto text = [](const nlohmann::json& object, const char* key) -> std::string {
        const auto it = object.find(key);
        return (it != object.end() && it->is_string()) ? it->get<std::string>() : std::string{};
    };
    const auto err = doc.find("error");
    if (err != doc.end() && err->is_string()) {
        out.code = err->get<std::string>();
        out.description = text(doc, "error_description");
    } else if (err != doc.end() && err->is_object()) {
        out.code = text(*err, "code");
        out.description = text(*err, "message");
    } else {
        out.description = text(doc, "message");
    }
    if (out.code.empty() && out.description.empty()) return std::nullopt;
    return out;
}

}  // namespace detail
AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// RFC 1123 / IMF-fixdate ("Mon, 15 Jan 2024 10:00:00 GMT") formatting and parsing for
/// `x-ms-date` and `Retry-After`.
///
/// Pure arithmetic on the civil calendar (H. Hinnant's days_from_civil): no `gmtime`,
/// `strftime` or locale, so it is thread-safe and gives the same bytes in every locale.

#include <azmi/version.hpp>

#include <chrono>       // system_clock, duration_cast
#include <cstdint>      // int64_t
#include <optional>     // optional
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

inline constexpr const char* http_date_weekdays[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
inline constexpr const char* http_date_months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m in 1..12).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_date {
    std::int64_t year;
    unsigned month;  // 1..12
    unsigned day;    // 1..31
};

/// Inverse of `days_from_civil`.
constexpr civil_date civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return civil_date{static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

inline void append_two_digits(std::string& out, unsigned v) {
    out += static_cast<char>('0' + (v / 10) % 10);
    out += static_cast<char>('0' + v % 10);
}

/// `t` as an IMF-fixdate in GMT, e.g. "Mon, 15 Jan 2024 10:00:00 GMT" (sub-seconds dropped).
inline std::string format_http_date(std::chrono::system_clock::time_point t) {
    const std::int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {  // before 1970: floor, not truncate
        rem += 86400;
        --days;
    }
    const civil_date date = civil_from_days(days);
    // 1970-01-01 was a Thursday (index 4).
    const auto weekday = static_cast<unsigned>(((days + 4) % 7 + 7) % 7);
    std::string out;
    out.reserve(29);
    out += http_date_weekdays[weekday];
    out += ", ";
    append_two_digits(out, date.day);
    out += ' ';
    out += http_date_months[date.month - 1];
    out += ' ';
    out += std::to_string(date.year);
    out += ' ';
    append_two_digits(out, static_cast<unsigned>(rem / 3600));
    out += ':';
    append_two_digits(out, static_cast<unsigned>(rem / 60 % 60));
    out += ':';
    append_two_digits(out, static_cast<unsigned>(rem % 60));
    out += " GMT";
    return out;
}

/// Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). The weekday is checked for form
/// only (a wrong weekday does not change the instant). Anything else is `nullopt`.
inline std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
    if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
        return std::nullopt;
    bool weekday_ok = false;
    for (const char* w : http_date_weekdays) weekday_ok = weekday_ok || s.substr(0, 3) == w;
    if (!weekday_ok) return std::nullopt;
    auto number = [&s](std::size_t at, std::size_t len, unsigned& out) {
        out = 0;
        for (std::size_t i = at; i < at + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return true;
    };
    unsigned day = 0, year = 0, hour = 0, minute = 0, second = 0, month = 0;
    if (!number(5, 2, day) || !number(12, 4, year) || !number(17, 2, hour) || !number(20, 2, minute) ||
        !number(23, 2, second))
        return std::nullopt;
    for (unsigned i = 0; i < 12; ++i)
        if (s.substr(8, 3) == http_date_months[i]) month = i + 1;
    if (month == 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    const std::int64_t days = days_from_civil(year, month, day);
    if (civil_from_days(days).day != day) return std::nullopt;  // 31 Feb and friends
    const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second);
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::seconds(secs)));
}

}  // namespace detail
AZMI_END_NAMESPACE

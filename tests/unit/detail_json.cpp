// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/json.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <chrono>       // seconds, system_clock
#include <cstdint>      // int64_t
#include <limits>       // numeric_limits
#include <string>       // string
#include <string_view>  // string_view

using namespace std::chrono_literals;
using azmi::detail::sys_time;

namespace {

constexpr const char* token = "eyJ0eXAiOiJKV1Qi.SECRET-TOKEN-PAYLOAD.c2ln";
const sys_time t0{std::chrono::seconds(1'700'000'000)};  // the request time used below

sys_time at(std::int64_t epoch_seconds) { return sys_time(std::chrono::seconds(epoch_seconds)); }

/// A token response body with `fields` (JSON members, without braces) after the token.
std::string body_with(const std::string& fields) {
    return std::string(R"({"access_token":")") + token + "\"" + (fields.empty() ? "" : "," + fields) + "}";
}

/// `expires_on` as a JSON string.
std::string expires_on_string(const std::string& value) { return body_with(R"("expires_on":")" + value + "\""); }

azmi::detail::token_response parsed(const std::string& body) {
    CAPTURE(body);
    auto r = azmi::detail::parse_token_response(body, t0);
    if (!r) FAIL_CHECK(r.error().message);
    REQUIRE(r.has_value());
    return std::move(r).value();
}

/// Parses `body`, which must fail with malformed_response and a message that never quotes the token.
azmi::error refused(const std::string& body) {
    CAPTURE(body);
    auto r = azmi::detail::parse_token_response(body, t0);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::malformed_response);
    CHECK(r.error().message.find("SECRET-TOKEN") == std::string::npos);
    CHECK(r.error().message.find("identity endpoint response") == 0);
    return std::move(r).error();
}

std::int64_t epoch_of(const std::string& date) {
    CAPTURE(date);
    const auto t = azmi::detail::parse_app_service_date(date);
    REQUIRE(t.has_value());
    return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

/// Largest whole second a system_clock::time_point can hold on this standard library.
constexpr std::int64_t max_sys_seconds =
    std::chrono::duration_cast<std::chrono::seconds>(sys_time::duration::max()).count();

}  // namespace

TEST_CASE("detail_json: days_from_civil known values") {
    static_assert(azmi::detail::days_from_civil(1970, 1, 1) == 0, "epoch");
    static_assert(azmi::detail::days_from_civil(2000, 3, 1) == 11017, "after a century leap day");
    static_assert(azmi::detail::days_from_civil(2023, 11, 14) == 19675, "fake_clock's day");
    CHECK(azmi::detail::days_from_civil(1969, 12, 31) == -1);
    CHECK(azmi::detail::days_from_civil(2024, 2, 29) == 19782);
    CHECK(azmi::detail::days_from_civil(2024, 3, 1) == 19783);
    CHECK(azmi::detail::days_from_civil(2023, 3, 1) - azmi::detail::days_from_civil(2023, 2, 28) == 1);
    CHECK(azmi::detail::days_from_civil(1600, 3, 1) == -135080);
    CHECK(azmi::detail::days_from_civil(1, 1, 1) == -719162);
    // The algorithm does not validate: a day past the month's end rolls over into the next month.
    CHECK(azmi::detail::days_from_civil(2020, 2, 30) == azmi::detail::days_from_civil(2020, 3, 1));
}

TEST_CASE("detail_json: expires_on as a JSON integer") {
    const auto r = parsed(body_with(R"("expires_on":1700003600,"token_type":"Bearer")"));
    CHECK(r.access_token == token);
    CHECK(r.expires_on == at(1'700'003'600));
    CHECK_FALSE(r.refresh_at.has_value());
}

TEST_CASE("detail_json: expires_on as a numeric string (IMDS, App Service 2019)") {
    // IMDS sends every number as a string, and both expires_in and expires_on.
    const auto r = parsed(body_with(R"("refresh_token":"","expires_in":"3599","expires_on":"1506484173",)"
                                    R"("not_before":"1506480273","resource":"https://storage.azure.com/","token_type":"Bearer")"));
    CHECK(r.access_token == token);
    CHECK(r.expires_on == at(1'506'484'173));
}

TEST_CASE("detail_json: expires_on as a JSON float is truncated to whole seconds") {
    CHECK(parsed(body_with(R"("expires_on":1700003600.75)")).expires_on == at(1'700'003'600));
    CHECK(parsed(body_with(R"("expires_on":1.7e9)")).expires_on == at(1'700'000'000));
    CHECK(parsed(body_with(R"("expires_on":0.0)")).expires_on == at(0));
}

TEST_CASE("detail_json: expires_on as an App Service 2017 Linux date") {
    CHECK(parsed(expires_on_string("06/20/2019 02:57:58 +00:00")).expires_on == at(1'560'999'478));
    CHECK(epoch_of("06/20/2019 02:57:58 +00:00") == 1'560'999'478);
}

TEST_CASE("detail_json: expires_on as an App Service 2017 Windows date") {
    CHECK(parsed(expires_on_string("1/16/2020 5:24:12 AM +00:00")).expires_on == at(1'579'152'252));
    CHECK(epoch_of("1/16/2020 5:24:12 PM +00:00") == 1'579'152'252 + 12 * 3600);
}

TEST_CASE("detail_json: 12-hour clock edge cases") {
    constexpr std::int64_t midnight = 1'579'132'800;  // 2020-01-16 00:00:00 UTC
    CHECK(epoch_of("1/16/2020 12:00:00 AM +00:00") == midnight);
    CHECK(epoch_of("1/16/2020 12:59:59 AM +00:00") == midnight + 3599);
    CHECK(epoch_of("1/16/2020 1:00:00 AM +00:00") == midnight + 3600);
    CHECK(epoch_of("1/16/2020 11:59:59 AM +00:00") == midnight + 12 * 3600 - 1);
    CHECK(epoch_of("1/16/2020 12:00:00 PM +00:00") == midnight + 12 * 3600);  // noon
    CHECK(epoch_of("1/16/2020 12:30:00 PM +00:00") == midnight + 12 * 3600 + 30 * 60);
    CHECK(epoch_of("1/16/2020 11:59:59 PM +00:00") == midnight + 24 * 3600 - 1);
    // Hours outside 1..12 are not 12-hour clock times.
    for (const std::string bad : {"1/16/2020 0:30:00 AM +00:00", "1/16/2020 13:00:00 PM +00:00", "1/16/2020 00:00:00 PM +00:00"}) {
        CAPTURE(bad);
        CHECK_FALSE(azmi::detail::parse_app_service_date(bad).has_value());
    }
}

TEST_CASE("detail_json: one-digit month, day and hour are accepted") {
    CHECK(epoch_of("1/2/2020 3:04:05 +00:00") == 1'577'934'245);
    CHECK(epoch_of("01/02/2020 03:04:05 +00:00") == 1'577'934'245);
    CHECK(epoch_of("1/2/2020 3:04:05 AM +00:00") == 1'577'934'245);
}

TEST_CASE("detail_json: UTC offsets are applied in the right direction") {
    constexpr std::int64_t utc = 1'560'999'478;  // 06/20/2019 02:57:58 UTC
    // 08:27:58 at +05:30 is 02:57:58 UTC.
    CHECK(epoch_of("06/20/2019 08:27:58 +05:30") == utc);
    // 18:57:58 the day before at -08:00 is 02:57:58 UTC.
    CHECK(epoch_of("06/19/2019 18:57:58 -08:00") == utc);
    CHECK(epoch_of("06/20/2019 02:57:58 -00:00") == utc);
    CHECK(epoch_of("06/20/2019 02:57:58 +14:00") == utc - 14 * 3600);
    CHECK(parsed(expires_on_string("06/19/2019 6:57:58 PM -08:00")).expires_on == at(utc));
}

TEST_CASE("detail_json: leap day 2024-02-29 is accepted") {
    CHECK(epoch_of("2/29/2024 12:00:00 +00:00") == 1'709'208'000);
    CHECK(epoch_of("02/29/2024 12:00:00 PM +00:00") == 1'709'208'000);
}

TEST_CASE("detail_json: malformed dates are rejected") {
    for (const std::string bad : {
             "13/01/2020 00:00:00 +00:00",   // month 13
             "0/01/2020 00:00:00 +00:00",    // month 0
             "1/0/2020 00:00:00 +00:00",     // day 0
             "1/32/2020 00:00:00 +00:00",    // day 32
             "001/01/2020 00:00:00 +00:00",  // three-digit month
             "1/1/20 00:00:00 +00:00",       // two-digit year
             "1/1/20200 00:00:00 +00:00",    // five-digit year
             "1/1/2020 24:00:00 +00:00",     // hour 24
             "1/1/2020 00:60:00 +00:00",     // minute 60
             "1/1/2020 00:00:61 +00:00",     // second 61
             "1/1/2020 0:0:00 +00:00",       // one-digit minute
             "1/1/2020 00:00 +00:00",        // no seconds
             "1/1/2020 00:00:00",            // no offset
             "1/1/2020 00:00:00 UTC",        // named zone
             "1/1/2020 00:00:00 +15:00",     // offset beyond +14
             "1/1/2020 00:00:00 +05:60",     // offset minute 60
             "1/1/2020 00:00:00 +5:30",      // one-digit offset hour
             "1/1/2020 00:00:00 +0000",      // offset without colon
             "1/1/2020 00:00:00 +00:00Z",    // trailing junk
             "1/1/2020 00:00:00 +00:00 ",    // trailing space
             " 1/1/2020 00:00:00 +00:00",    // leading space
             "1/1/2020  00:00:00 +00:00",    // double space
             "1/1/2020 5:00:00 am +00:00",   // lowercase meridiem
             "1/1/2020 5:00:00 AM+00:00",    // no space after the meridiem
             "2020-01-01T00:00:00Z",         // ISO 8601 is not an App Service form
             "1-1-2020 00:00:00 +00:00",     // wrong separators
             "",
         }) {
        CAPTURE(bad);
        CHECK_FALSE(azmi::detail::parse_app_service_date(bad).has_value());
        const azmi::error e = refused(expires_on_string(bad));
        CHECK(e.message.find("\"expires_on\" that is neither epoch seconds nor a date") != std::string::npos);
    }
}

TEST_CASE("detail_json: a day past the end of its month is rejected") {
    // Without a per-month check, days_from_civil would roll 02/30/2020 over to 2020-03-01.
    for (const std::string bad : {"02/30/2020 00:00:00 +00:00", "2/29/2023 00:00:00 +00:00", "4/31/2020 00:00:00 +00:00",
                            "2/31/2020 5:00:00 AM +00:00"}) {
        CAPTURE(bad);
        CHECK_FALSE(azmi::detail::parse_app_service_date(bad).has_value());
    }
}

TEST_CASE("detail_json: leap days are accepted only in leap years") {
    CHECK(azmi::detail::parse_app_service_date("2/29/2024 00:00:00 +00:00").has_value());
    CHECK(azmi::detail::parse_app_service_date("2/29/2000 00:00:00 +00:00").has_value());
    CHECK_FALSE(azmi::detail::parse_app_service_date("2/29/1900 00:00:00 +00:00").has_value());
}

TEST_CASE("detail_json: numeric strings must be digits only") {
    for (const std::string bad : {" 1700000000", "1700000000 ", "17 00000000", "+1700000000", "-1700000000", "1.7e9",
                            "1700000000.5", "0x6553F100", "1,700,000,000", "", "1234567890123"}) {
        CAPTURE(bad);
        const azmi::error e = refused(expires_on_string(bad));
        CHECK(e.message.find("expires_on") != std::string::npos);
    }
}

TEST_CASE("detail_json: negative and oversized floats are rejected") {
    for (const std::string bad : {"-1.0", "-1700000000.5", "1e12", "1.5e300"}) {
        CAPTURE(bad);
        refused(body_with(std::string(R"("expires_on":)") + bad));
    }
}

TEST_CASE("detail_json: expires_on of the wrong JSON type is rejected") {
    for (const std::string bad : {"true", "[]", "[1700000000]", R"({"t":1})"}) {
        CAPTURE(bad);
        refused(body_with(std::string(R"("expires_on":)") + bad));
    }
}

TEST_CASE("detail_json: negative integers are rejected like negative floats and strings") {
    CHECK_FALSE(azmi::detail::json_seconds(nlohmann::json(-1), azmi::detail::max_epoch_seconds).has_value());
    CHECK_FALSE(azmi::detail::parse_token_response(body_with(R"("expires_on":-1)"), t0).has_value());
    CHECK_FALSE(azmi::detail::parse_token_response(body_with(R"("expires_in":-5)"), t0).has_value());
}

TEST_CASE("detail_json: json_seconds refuses values a system_clock time_point cannot hold") {
    // A nanosecond system_clock holds about 9.2e9 s (year 2262); larger server values would
    // overflow sys_time(seconds(n)), so they are refused before any arithmetic.
    const auto fits = [](const nlohmann::json& value) {
        const auto s = azmi::detail::json_seconds(value, azmi::detail::max_epoch_seconds);
        return !s || *s <= max_sys_seconds;
    };
    CHECK(fits(nlohmann::json(std::int64_t{10'000'000'000'000})));
    CHECK(fits(nlohmann::json(std::numeric_limits<std::int64_t>::max())));
    CHECK(fits(nlohmann::json(9.99e11)));
    CHECK(fits(nlohmann::json("999999999999")));
    CHECK_FALSE(azmi::detail::parse_token_response(body_with(R"("expires_on":99999999999)"), t0).has_value());
    CHECK_FALSE(azmi::detail::parse_token_response(body_with(R"("expires_in":9999999999)"), t0).has_value());
}

TEST_CASE("detail_json: json_seconds accepts numbers and digit strings, nothing else") {
    const auto seconds_of = [](const nlohmann::json& v) { return azmi::detail::json_seconds(v, azmi::detail::max_epoch_seconds); };
    CHECK(seconds_of(nlohmann::json(3600)) == std::int64_t{3600});
    CHECK(seconds_of(nlohmann::json(0)) == std::int64_t{0});
    CHECK(seconds_of(nlohmann::json(3599.9)) == std::int64_t{3599});
    CHECK(seconds_of(nlohmann::json("3599")) == std::int64_t{3599});
    CHECK(seconds_of(nlohmann::json("000123")) == std::int64_t{123});
    CHECK_FALSE(seconds_of(nlohmann::json("999999999999")).has_value());  // past the year-2200 bound
    CHECK(seconds_of(nlohmann::json("7258118400")) == std::int64_t{7'258'118'400});
    CHECK_FALSE(seconds_of(nlohmann::json("1234567890123")).has_value());  // 13 digits
    CHECK_FALSE(seconds_of(nlohmann::json(-0.5)).has_value());
    CHECK_FALSE(seconds_of(nlohmann::json(1e12)).has_value());
    CHECK_FALSE(seconds_of(nlohmann::json(nullptr)).has_value());
    CHECK_FALSE(seconds_of(nlohmann::json(true)).has_value());
    CHECK_FALSE(seconds_of(nlohmann::json::array()).has_value());
}

TEST_CASE("detail_json: expires_on wins over expires_in") {
    const auto r = parsed(body_with(R"("expires_in":60,"expires_on":1700086400)"));
    CHECK(r.expires_on == at(1'700'086'400));
    // A null expires_on counts as absent, so expires_in is used.
    const auto null_on = parsed(body_with(R"("expires_on":null,"expires_in":60)"));
    CHECK(null_on.expires_on == t0 + 60s);
    // An invalid expires_on is an error even when a valid expires_in is present.
    refused(body_with(R"("expires_on":"soon","expires_in":60)"));
}

TEST_CASE("detail_json: expires_in counts from the request time") {
    CHECK(parsed(body_with(R"("expires_in":3599)")).expires_on == t0 + 3599s);
    CHECK(parsed(body_with(R"("expires_in":"86399")")).expires_on == t0 + 86399s);  // Arc sends a string
    CHECK(parsed(body_with(R"("expires_in":0)")).expires_on == t0);

    const sys_time later = t0 + 1000s;
    const auto r = azmi::detail::parse_token_response(body_with(R"("expires_in":3600)"), later);
    REQUIRE(r);
    CHECK(r->expires_on == later + 3600s);
}

TEST_CASE("detail_json: refresh_in sets refresh_at from the request time") {
    const auto r = parsed(body_with(R"("expires_in":86400,"refresh_in":43200)"));
    REQUIRE(r.refresh_at.has_value());
    CHECK(*r.refresh_at == t0 + 43200s);
    CHECK(r.expires_on == t0 + 86400s);

    const auto as_string = parsed(body_with(R"("expires_on":"1700086400","refresh_in":"3600")"));
    REQUIRE(as_string.refresh_at.has_value());
    CHECK(*as_string.refresh_at == t0 + 3600s);

    CHECK_FALSE(parsed(body_with(R"("expires_in":60,"refresh_in":null)")).refresh_at.has_value());
    const azmi::error e = refused(body_with(R"("expires_in":60,"refresh_in":"later")"));
    CHECK(e.message.find("\"refresh_in\"") != std::string::npos);
    CHECK(e.message.find("\"later\"") != std::string::npos);  // non-secret values are quoted
}

TEST_CASE("detail_json: structurally wrong responses are malformed_response with a precise message") {
    CHECK(refused("").message.find("not valid JSON (0 bytes)") != std::string::npos);
    CHECK(refused("<html>502 Bad Gateway</html>").message.find("not valid JSON") != std::string::npos);
    CHECK(refused("[]").message.find("not an object") != std::string::npos);
    CHECK(refused(R"("just a string")").message.find("not an object") != std::string::npos);
    CHECK(refused(R"({"expires_in":60})").message.find("has no \"access_token\"") != std::string::npos);
    CHECK(refused(R"({"access_token":"","expires_in":60})").message.find("not a non-empty string") != std::string::npos);
    CHECK(refused(R"({"access_token":42,"expires_in":60})").message.find("not a non-empty string") !=
          std::string::npos);
    CHECK(refused(R"({"access_token":null,"expires_in":60})").message.find("not a non-empty string") !=
          std::string::npos);
    CHECK(refused(body_with("")).message.find("neither \"expires_on\" nor \"expires_in\"") != std::string::npos);
    CHECK(refused(body_with(R"("expires_on":null,"expires_in":null)")).message.find("neither") != std::string::npos);
    CHECK(refused(body_with(R"("expires_in":"an hour")")).message.find("\"expires_in\"") != std::string::npos);
}

TEST_CASE("detail_json: error messages never contain the access token") {
    // refused() checks every message for the token; these are the shapes most likely to echo it.
    refused(body_with(R"("expires_on":"not a date")"));
    refused(body_with(R"("expires_in":{"nested":"x"})"));
    refused(body_with(R"("refresh_in":[1],"expires_in":1)"));
    refused(body_with(""));
    refused(std::string(R"({"access_token":")") + token);  // truncated JSON that holds the token
    refused(std::string(R"({"access_token":")") + token + R"(","expires_on":)");
    refused(std::string(R"([{"access_token":")") + token + R"(","expires_in":1}])");
    // The value of a bad expires_on is quoted, but cut short so a huge field cannot flood a log.
    const std::string long_value(200, '9');
    const azmi::error e = refused(body_with(R"("expires_on":")" + long_value + "X\""));
    CHECK(e.message.find("...") != std::string::npos);
    CHECK(e.message.find(long_value) == std::string::npos);
    CHECK(e.message.size() < 200);
}

TEST_CASE("detail_json: parse_endpoint_error reads the IMDS / AAD shape") {
    const auto e = azmi::detail::parse_endpoint_error(
        R"({"error":"invalid_request","error_description":"Identity not found","error_codes":[70011],"trace_id":"t"})");
    REQUIRE(e.has_value());
    CHECK(e->code == "invalid_request");
    CHECK(e->description == "Identity not found");

    const auto code_only = azmi::detail::parse_endpoint_error(R"({"error":"bad_request_102"})");
    REQUIRE(code_only.has_value());
    CHECK(code_only->code == "bad_request_102");
    CHECK(code_only->description.empty());
}

TEST_CASE("detail_json: parse_endpoint_error reads the Service Fabric shape") {
    const auto e = azmi::detail::parse_endpoint_error(
        R"({"error":{"code":"SecretHeaderNotFound","message":"Secret is not found in the request headers."}})");
    REQUIRE(e.has_value());
    CHECK(e->code == "SecretHeaderNotFound");
    CHECK(e->description == "Secret is not found in the request headers.");

    const auto code_only = azmi::detail::parse_endpoint_error(R"({"error":{"code":"ManagedIdentityNotFound"}})");
    REQUIRE(code_only.has_value());
    CHECK(code_only->code == "ManagedIdentityNotFound");
    CHECK(code_only->description.empty());
}

TEST_CASE("detail_json: parse_endpoint_error reads the App Service shape") {
    const auto e = azmi::detail::parse_endpoint_error(
        R"({"statusCode":500,"message":"An unexpected error occured while fetching the AAD Token."})");
    REQUIRE(e.has_value());
    CHECK(e->code.empty());
    CHECK(e->description == "An unexpected error occured while fetching the AAD Token.");
}

TEST_CASE("detail_json: parse_endpoint_error returns nothing for bodies without error fields") {
    for (const std::string junk : {"", "not json", "<html><body>Bad Gateway</body></html>", "[]", "42", "\"error\"", "{}",
                             R"({"error":42})", R"({"error":""})", R"({"error":{}})", R"({"error":{"code":7}})",
                             R"({"message":5})", R"({"statusCode":500})", R"({"error":"x")"}) {
        CAPTURE(junk);
        CHECK_FALSE(azmi::detail::parse_endpoint_error(junk).has_value());
    }
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/version.hpp>  // first: proves the header is self-contained

#include <azmi/version.hpp>  // twice: include guards hold and the version check does not fire

#include <azmi/access_token.hpp>
#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/transport.hpp>

#include <doctest/doctest.h>

#include <cstring>      // strcmp
#include <string>       // string, to_string
#include <type_traits>  // is_same_v

// A user-side entity declared with the library's own namespace macros.
AZMI_BEGIN_NAMESPACE
namespace test_only {
struct marker {};
}  // namespace test_only
AZMI_END_NAMESPACE

TEST_CASE("version: version_string equals AZMI_VERSION_STRING") {
    CHECK(std::string(azmi::version_string) == AZMI_VERSION_STRING);
    CHECK(std::strcmp(azmi::v0::version_string, AZMI_VERSION_STRING) == 0);
    static_assert(azmi::version_string != nullptr, "usable in constant expressions");
}

TEST_CASE("version: AZMI_VERSION_STRING matches the MAJOR.MINOR.PATCH macros") {
    const std::string from_parts = std::to_string(AZMI_VERSION_MAJOR) + "." + std::to_string(AZMI_VERSION_MINOR) +
                                   "." + std::to_string(AZMI_VERSION_PATCH);
    CHECK(from_parts == AZMI_VERSION_STRING);
    // AZMI_INCLUDED_VERSION encodes the same version as MMmmpp (0.1.0 -> 100); a bump must update all.
    CHECK(AZMI_INCLUDED_VERSION == AZMI_VERSION_MAJOR * 10000 + AZMI_VERSION_MINOR * 100 + AZMI_VERSION_PATCH);
}

TEST_CASE("version: every entity lives in the inline namespace azmi::v0") {
    static_assert(std::is_same_v<azmi::v0::error, azmi::error>, "error");
    static_assert(std::is_same_v<azmi::v0::errc, azmi::errc>, "errc");
    static_assert(std::is_same_v<azmi::v0::exception, azmi::exception>, "exception");
    static_assert(std::is_same_v<azmi::v0::result<int>, azmi::result<int>>, "result");
    static_assert(std::is_same_v<azmi::v0::access_token, azmi::access_token>, "access_token");
    static_assert(std::is_same_v<azmi::v0::http_request, azmi::http_request>, "http_request");
    static_assert(std::is_same_v<azmi::v0::transport, azmi::transport>, "transport");
    static_assert(std::is_same_v<azmi::v0::test_only::marker, azmi::test_only::marker>, "the macros");
    CHECK(&azmi::v0::version_string == &azmi::version_string);
    CHECK(std::is_same_v<azmi::v0::error, azmi::error>);
}

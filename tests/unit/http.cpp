// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/http.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

TEST_CASE("http: header_map looks names up case-insensitively") {
    azmi::header_map h;
    h.add("Content-Type", "text/plain");
    CHECK(h.get("content-type") == std::string_view("text/plain"));
    CHECK(h.get("CONTENT-TYPE").has_value());
    CHECK_FALSE(h.get("Content-Length").has_value());
    CHECK(h.value_or("x-missing", "fallback") == "fallback");
}

TEST_CASE("http: header_map set replaces every field of that name, add keeps them") {
    azmi::header_map h;
    h.add("X-A", "1");
    h.add("x-a", "2");
    h.add("X-B", "3");
    CHECK(h.size() == 3);
    h.set("X-a", "9");
    CHECK(h.size() == 2);
    CHECK(h.get("x-a") == std::string_view("9"));
    CHECK(h.erase("X-B") == 1);
    CHECK(h.size() == 1);
    CHECK(h.erase("nope") == 0);
}

TEST_CASE("http: header_map keeps insertion order") {
    azmi::header_map h{{"b", "1"}, {"a", "2"}};
    auto it = h.begin();
    CHECK(it->first == "b");
    ++it;
    CHECK(it->first == "a");
}

TEST_CASE("http: method names and response status classes") {
    CHECK(std::string(azmi::to_string(azmi::http_method::head)) == "HEAD");
    azmi::http_response r;
    r.status = 206;
    CHECK(r.ok());
    r.status = 304;
    CHECK_FALSE(r.ok());
}

TEST_CASE("http: trim_http_space removes spaces, tabs, CR and LF at both ends only") {
    CHECK(azmi::detail::trim_http_space(" \t value with  inner space\r\n") == "value with  inner space");
    CHECK(azmi::detail::trim_http_space("\r\n\t ") == "");
    CHECK(azmi::detail::trim_http_space("x") == "x");
}

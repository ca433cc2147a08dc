// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
// The env.sh reader the integration tests rely on: it must read back exactly what scripts/servers
// writes (single-quoted values, `export`), so a misparse shows up here, not as a confusing 403.
#include "test_env.hpp"  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <cstdio>     // remove
#include <cstdlib>    // getenv, unsetenv
#include <fstream>    // ofstream
#include <stdexcept>  // runtime_error
#include <string>     // string

#include <unistd.h>  // getpid

namespace {
/// A file of its own per process and call: the C++17 and C++20 runs share a working directory.
std::string write_file(const std::string& text) {
    static int counter = 0;
    const std::string path =
        "test_env_parse_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".sh";
    std::ofstream(path) << text;
    return path;
}

std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}
}  // namespace

TEST_CASE("test_env: reads the quoting scripts/servers writes") {
    const auto path = write_file(
        "# Written by scripts/servers start\n"
        "\n"
        "export AZMI_T_PLAIN='https://127.0.0.1:4321/devstoreaccount1'\n"
        "export AZMI_T_KEY='Eby8vd+/K1SZ=='\n"
        "export AZMI_T_QUOTE='it'\\''s'\n"
        "AZMI_T_NOEXPORT=bare\\ word  # comment\n"
        "export AZMI_T_DOUBLE=\"a \\\"b\\\" \\$c\"\n"
        "export AZMI_T_EMPTY=''\n");
    CHECK(azmi_test::load_env_file(path) == 6);
    CHECK(env_or_empty("AZMI_T_PLAIN") == "https://127.0.0.1:4321/devstoreaccount1");
    CHECK(env_or_empty("AZMI_T_KEY") == "Eby8vd+/K1SZ==");
    CHECK(env_or_empty("AZMI_T_QUOTE") == "it's");
    CHECK(env_or_empty("AZMI_T_NOEXPORT") == "bare word");
    CHECK(env_or_empty("AZMI_T_DOUBLE") == "a \"b\" $c");
    CHECK(std::getenv("AZMI_T_EMPTY") != nullptr);
    CHECK(env_or_empty("AZMI_T_EMPTY").empty());
    std::remove(path.c_str());
}

TEST_CASE("test_env: refuses what it cannot read, naming the line but not the value") {
    SUBCASE("unterminated quote") {
        const auto path = write_file("export AZMI_T_OK=1\nexport AZMI_T_BAD='s3cret\n");
        try {
            azmi_test::load_env_file(path);
            FAIL("expected an exception");
        } catch (const std::runtime_error& e) {
            const std::string what = e.what();
            CHECK(what.find(":2:") != std::string::npos);
            CHECK(what.find("AZMI_T_BAD") != std::string::npos);
            CHECK(what.find("s3cret") == std::string::npos);
        }
        std::remove(path.c_str());
    }
    SUBCASE("not an assignment") {
        const auto path = write_file("echo hello\n");
        CHECK_THROWS_AS(azmi_test::load_env_file(path), std::runtime_error);
        std::remove(path.c_str());
    }
    SUBCASE("missing file") {
        CHECK_THROWS_AS(azmi_test::load_env_file("/nonexistent/env.sh"), std::runtime_error);
    }
}

TEST_CASE("test_env: require_env names the missing variable") {
    ::unsetenv("AZMI_T_SURELY_UNSET");
    CHECK_THROWS_WITH_AS(azmi_test::require_env("AZMI_T_SURELY_UNSET"),
                         doctest::Contains("AZMI_T_SURELY_UNSET"), std::runtime_error);
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
// What every packaging consumer compiles and runs: the one-include header plus the testing mock,
// used through a few types. Linking proves the package brings azmi's dependencies along; running
// proves the program works. Returns non-zero with a message on the first broken expectation.
#include <azmi/azmi.hpp>
#include <azmi/testing/mock_transport.hpp>

#include <cstdio>   // fprintf
#include <cstring>  // strcmp
#include <memory>   // make_shared
#include <string>   // string

#ifndef AZMI_CONSUMER_KIND
#error "the consumer's CMakeLists.txt defines AZMI_CONSUMER_KIND"
#endif

static int failures = 0;

static void expect(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "%s consumer: FAILED: %s\n", AZMI_CONSUMER_KIND, what);
        ++failures;
    }
}

int main() {
    expect(std::strcmp(azmi::version_string, AZMI_VERSION_STRING) == 0, "version_string matches AZMI_VERSION_STRING");

    azmi::result<int> good = 42;
    azmi::result<int> bad = azmi::error(azmi::errc::blob_not_found, "no such blob");
    expect(good.has_value() && *good == 42, "result<int> holds a value");
    expect(!bad && bad.error().code == azmi::errc::blob_not_found, "result<int> holds an error");
    expect(bad.error().to_string().find("blob_not_found") != std::string::npos, "error::to_string names the errc");

    auto mock = std::make_shared<azmi::testing::mock_transport>();
    mock->push(200, "hello");
    std::shared_ptr<azmi::transport> transport = mock;
    azmi::http_request request;
    request.url = "https://127.0.0.1/devstoreaccount1/c/b";
    request.headers.set("x-ms-version", "2025-01-05");
    auto response = transport->send(request);
    expect(response.has_value() && response->status == 200 && response->body == "hello", "mock_transport answers");
    expect(mock->requests().size() == 1, "mock_transport records the request");

#if defined(AZMI_SEPARATE_COMPILATION)
    expect(AZMI_HEADER_ONLY == 0, "azmi::azmi_compiled builds in separate-compilation mode");
#else
    expect(AZMI_HEADER_ONLY == 1, "azmi::azmi is header-only");
#endif

    if (failures == 0) std::printf("%s consumer: azmi %s works\n", AZMI_CONSUMER_KIND, azmi::version_string);
    return failures == 0 ? 0 : 1;
}

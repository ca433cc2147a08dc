// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
// The integration fixture works end to end with azmi's own transport: the identity emulator hands
// out tokens behind its secret, Azurite serves HTTPS that verifies against AZMI_CA_FILE, and Azurite
// accepts the emulator's token. When this fails, every other integration test fails for the same
// reason, so this one says where.
#include <azmi/transport/curl.hpp>  // first: proves the header is self-contained

#include "test_env.hpp"

#include <doctest/doctest.h>

#include <memory>  // shared_ptr
#include <string>  // string

namespace {
struct servers {
    servers() {
        azmi_test::load_env_file(azmi_test::require_env("AZMI_TEST_ENV_FILE"));
        azmi::curl_transport_options options;
        options.ca_file = azmi_test::require_env("AZMI_CA_FILE");
        transport = azmi::make_curl_transport(options);
    }

    azmi::http_response send(const azmi::http_request& request) {
        auto response = transport->send(request);
        if (!response) FAIL(response.error().to_string());  // secret-free by contract
        return *response;
    }

    /// An Azure ML style token request (REST-SPEC §4.2) for Storage.
    azmi::http_request token_request(const std::string& secret, const std::string& client_id = "") {
        azmi::http_request request;
        request.url = azmi_test::require_env("MSI_ENDPOINT") +
                      "?api-version=2017-09-01&resource=https%3A%2F%2Fstorage.azure.com%2F";
        if (!client_id.empty()) request.url += "&clientid=" + client_id;
        request.headers.set("secret", secret);
        request.bypass_proxy = true;
        return request;
    }

    /// The access_token of a JSON token response, found without a JSON library (JWTs need no unescaping).
    static std::string access_token(const std::string& body) {
        const std::string key = "\"access_token\"";
        auto pos = body.find(key);
        if (pos == std::string::npos) return "";
        pos = body.find('"', body.find(':', pos + key.size()));
        if (pos == std::string::npos) return "";
        const auto end = body.find('"', pos + 1);
        return end == std::string::npos ? "" : body.substr(pos + 1, end - pos - 1);
    }

    azmi::http_request list_containers(const std::string& token) {
        azmi::http_request request;
        request.url = azmi_test::require_env("AZMI_BLOB_ENDPOINT") + "?comp=list";
        request.headers.set("x-ms-version", "2025-01-05");
        if (!token.empty()) request.headers.set("Authorization", "Bearer " + token);
        return request;
    }

    std::shared_ptr<azmi::transport> transport;
};
}  // namespace

TEST_CASE("servers: the identity emulator issues tokens only with its secret") {
    servers s;
    const auto secret = azmi_test::require_env("MSI_SECRET");

    const auto system = s.send(s.token_request(secret));
    CHECK(system.status == 200);
    CHECK_FALSE(servers::access_token(system.body).empty());  // prints a bool, never the token

    const auto user = s.send(s.token_request(secret, azmi_test::require_env("AZMI_TEST_USER_CLIENT_ID")));
    CHECK(user.status == 200);
    CHECK_FALSE(servers::access_token(user.body).empty());

    const auto wrong = s.send(s.token_request("not-the-" + std::string("secret")));
    CHECK(wrong.status >= 400);
    CHECK(wrong.status < 500);
    CHECK(servers::access_token(wrong.body).empty());
}

TEST_CASE("servers: Azurite accepts the emulator's token over verified TLS") {
    servers s;
    const auto token = servers::access_token(s.send(s.token_request(azmi_test::require_env("MSI_SECRET"))).body);
    REQUIRE_FALSE(token.empty());

    const auto listed = s.send(s.list_containers(token));
    CHECK(listed.status == 200);
    CHECK(listed.body.find("<EnumerationResults") != std::string::npos);

    // The same request without a token is refused, so the 200 above is the token's doing.
    const auto anonymous = s.send(s.list_containers(""));
    CHECK(anonymous.status == 403);
}

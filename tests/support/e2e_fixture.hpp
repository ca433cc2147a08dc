// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// What every end-to-end test starts from: the servers' env.sh loaded, one curl transport that
/// trusts the test CA (shared by credentials, readers and the admin client, as in a service),
/// the Azurite endpoint, the seeding client and managed identity credentials with short,
/// bounded retries so fault tests finish in seconds.

#include <azmi/blob_endpoint.hpp>
#include <azmi/blob_reader.hpp>
#include <azmi/credential.hpp>
#include <azmi/storage_auth.hpp>
#include <azmi/transport/curl.hpp>

#include "azurite_admin.hpp"
#include "emulator_control.hpp"
#include "test_env.hpp"

#include <chrono>   // milliseconds, seconds
#include <cstddef>  // size_t
#include <memory>   // shared_ptr, make_shared
#include <string>   // string
#include <utility>  // move

namespace azmi_test {

/// Curl settings for the tests: fail fast on a dead server, never hang a CTest run.
inline azmi::curl_transport_options test_transport_options() {
    azmi::curl_transport_options options;
    options.ca_file = require_env("AZMI_CA_FILE");
    options.connect_timeout = std::chrono::seconds(5);
    options.low_speed_time = std::chrono::seconds(20);
    return options;
}

/// Quick retries (50 ms, doubling up to 400 ms, within 10 s) on top of `retry`'s own statuses
/// and attempt count; the defaults (0.5 s and up) would make each fault test take seconds.
inline azmi::retry_options fast(azmi::retry_options retry) {
    retry.initial_delay = std::chrono::milliseconds(50);
    retry.max_delay = std::chrono::milliseconds(400);
    retry.max_total_time = std::chrono::milliseconds(10000);
    return retry;
}

/// Managed identity options with quick retries (at most 3, as by default).
inline azmi::managed_identity_options fast_identity_options() {
    azmi::managed_identity_options options;
    options.retry = fast(options.retry);
    return options;
}

/// Storage retries bounded the same way.
inline azmi::blob_reader_options fast_reader_options() {
    azmi::blob_reader_options options;
    options.retry = fast(options.retry);
    return options;
}

struct e2e_fixture {
    e2e_fixture()
        : loaded(load_env_file(require_env("AZMI_TEST_ENV_FILE"))),
          http(azmi::make_curl_transport(test_transport_options())),
          endpoint(azmi::blob_endpoint::from_url(require_env("AZMI_BLOB_ENDPOINT"), require_env("STORAGE_ACCOUNT_NAME"))),
          admin(http, require_env("AZMI_BLOB_ENDPOINT"), require_env("STORAGE_ACCOUNT_NAME"),
                require_env("AZURITE_ACCOUNT_KEY")),
          emulator(http, require_env("AZMI_EMULATOR_CONTROL")) {}

    std::shared_ptr<azmi::system_assigned_credential> system_identity(
        azmi::managed_identity_options options = fast_identity_options()) const {
        return std::make_shared<azmi::system_assigned_credential>(http, azmi::system_assigned{}, std::move(options));
    }

    std::shared_ptr<azmi::user_assigned_credential> user_identity(
        azmi::managed_identity_options options = fast_identity_options()) const {
        return std::make_shared<azmi::user_assigned_credential>(
            http, azmi::user_assigned_client_id(require_env("AZMI_TEST_USER_CLIENT_ID")), std::move(options));
    }

    /// A reader over Azurite with `auth`.
    azmi::blob_reader reader(azmi::storage_auth auth) const {
        return azmi::blob_reader(endpoint, std::move(auth), http, fast_reader_options());
    }

    /// A reader over Azurite with a bearer token from `credential`.
    azmi::blob_reader reader(std::shared_ptr<azmi::token_credential> credential) const {
        return reader(azmi::storage_auth::bearer(std::move(credential)));
    }

    std::size_t loaded;
    std::shared_ptr<azmi::transport> http;
    azmi::blob_endpoint endpoint;
    azurite_admin admin;
    emulator_control emulator;
};

}  // namespace azmi_test

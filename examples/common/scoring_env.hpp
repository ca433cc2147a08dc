// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The plumbing the examples share: the environment an Azure ML online endpoint gives a scoring
/// script, and a `blob_reader` that signs in with the endpoint's managed identity.
///
/// Environment (the names of the Azure ML managed identity tutorial):
///   MSI_ENDPOINT, MSI_SECRET   set by Azure ML for the endpoint's identity
///   UAI_CLIENT_ID              optional: client id of a user-assigned identity; unset means the
///                              endpoint's system-assigned identity
///   STORAGE_ACCOUNT_NAME       the storage account to read
/// and, for running outside Azure (tests, Azurite):
///   AZMI_BLOB_ENDPOINT         endpoint URL used instead of https://<account>.blob.core.windows.net,
///                              e.g. https://127.0.0.1:10000/devstoreaccount1
///   AZMI_CA_FILE               PEM file of the CAs to trust instead of the system's (a test CA)

#include <azmi/azmi.hpp>
#include <azmi/blob_reader.hpp>

#include <cstdlib>           // getenv
#include <initializer_list>  // initializer_list
#include <memory>            // shared_ptr, make_shared
#include <stdexcept>         // runtime_error
#include <string>            // string
#include <utility>           // move

namespace azmi_examples {

/// A wrong command line or missing environment variables; the examples exit with status 2 for
/// these, so a deployment script can tell "misconfigured" from "failed".
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The value of environment variable `name`, or "" when it is unset.
inline std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

/// Throws `usage_error` naming every variable in `names` that is unset or empty, so one run
/// reports all of them instead of one per attempt.
inline void require_env(std::initializer_list<const char*> names) {
    std::string missing;
    for (const char* name : names) {
        if (!env_or_empty(name).empty()) continue;
        if (!missing.empty()) missing += ", ";
        missing += name;
    }
    if (!missing.empty()) throw usage_error("missing environment variable(s): " + missing);
}

/// The variables every example needs before it can build a reader.
inline void require_identity_and_account() { require_env({"MSI_ENDPOINT", "MSI_SECRET", "STORAGE_ACCOUNT_NAME"}); }

/// A reader for STORAGE_ACCOUNT_NAME that authenticates with the managed identity: the
/// user-assigned one when UAI_CLIENT_ID is set, else the system-assigned one. One transport
/// serves both the identity endpoint and Blob Storage, so they share its connection pool.
inline azmi::blob_reader reader_from_env() {
    azmi::curl_transport_options http_options;
    http_options.ca_file = env_or_empty("AZMI_CA_FILE");
    std::shared_ptr<azmi::transport> http = azmi::make_curl_transport(http_options);

    std::shared_ptr<azmi::token_credential> identity;
    const std::string client_id = env_or_empty("UAI_CLIENT_ID");
    if (client_id.empty()) {
        identity = std::make_shared<azmi::system_assigned_credential>(http);
    } else {
        identity = std::make_shared<azmi::user_assigned_credential>(http, azmi::user_assigned_client_id(client_id));
    }

    const std::string account = env_or_empty("STORAGE_ACCOUNT_NAME");
    const std::string endpoint_url = env_or_empty("AZMI_BLOB_ENDPOINT");
    azmi::blob_endpoint endpoint = endpoint_url.empty() ? azmi::blob_endpoint::for_account(account)
                                                        : azmi::blob_endpoint::from_url(endpoint_url, account);
    return azmi::blob_reader(std::move(endpoint), azmi::storage_auth::bearer(std::move(identity)), std::move(http));
}

}  // namespace azmi_examples

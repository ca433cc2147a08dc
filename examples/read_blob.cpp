// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// read_blob: the init() of the Azure ML managed identity tutorial's scoring script, in C++.
// Reads one blob with the online endpoint's managed identity and prints it:
//
//   STORAGE_ACCOUNT_NAME=mystorage STORAGE_CONTAINER_NAME=data FILE_NAME=hello.txt ./read_blob
//   Blob contains: Hello World!
//
// Azure ML sets MSI_ENDPOINT and MSI_SECRET; set UAI_CLIENT_ID to use a user-assigned identity.
// AZMI_BLOB_ENDPOINT and AZMI_CA_FILE point it at a local Azurite (see common/scoring_env.hpp).
// Exit status: 0 read, 1 failed (the reason is one line on stderr), 2 missing variables.

#include "common/scoring_env.hpp"

#include <exception>  // exception
#include <iostream>   // cout, cerr
#include <string>     // string

int main() {
    try {
        azmi_examples::require_env({"MSI_ENDPOINT", "MSI_SECRET", "STORAGE_ACCOUNT_NAME", "STORAGE_CONTAINER_NAME",
                                    "FILE_NAME"});
        const azmi::blob_reader reader = azmi_examples::reader_from_env();

        const std::string text = reader.read_to_string(azmi_examples::env_or_empty("STORAGE_CONTAINER_NAME"),
                                                       azmi_examples::env_or_empty("FILE_NAME"));
        std::cout << "Blob contains: " << text << '\n';
        return 0;
    } catch (const azmi_examples::usage_error& e) {
        std::cerr << "read_blob: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        // azmi::exception says what failed, with the HTTP status, error code and request ids,
        // and never a token or the MSI secret.
        std::cerr << "read_blob: " << e.what() << '\n';
        return 1;
    }
}

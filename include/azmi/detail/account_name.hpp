// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The storage account name rule, shared by the shared key credential and the connection
/// string parser (both light enough not to pull in each other).

#include <azmi/version.hpp>

#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

/// True for a storage account name: 3–24 characters, lowercase ASCII letters and digits only
/// (REST-SPEC §2.2; the emulator's "devstoreaccount1" qualifies). Checked before a name goes
/// into a host name or a signature, because an unchecked one can move the request to another
/// host (REST-SPEC §2.4).
inline bool is_valid_account_name(std::string_view name) noexcept {
    if (name.size() < 3 || name.size() > 24) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

}  // namespace detail
AZMI_END_NAMESPACE

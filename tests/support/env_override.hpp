// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

// Sets (or unsets) environment variables for one test and restores them afterwards.

#include <cstdlib>           // getenv, setenv, unsetenv
#include <initializer_list>  // initializer_list
#include <optional>          // optional
#include <string>            // string
#include <utility>           // pair
#include <vector>            // vector

namespace azmi_test {

class env_override {
public:
    /// Each pair is a name and a value; a null value unsets the variable.
    env_override(std::initializer_list<std::pair<const char*, const char*>> vars) {
        for (const auto& [name, value] : vars) {
            const char* old = std::getenv(name);
            saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
            if (value) ::setenv(name, value, 1);
            else ::unsetenv(name);
        }
    }
    ~env_override() {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->second) ::setenv(it->first.c_str(), it->second->c_str(), 1);
            else ::unsetenv(it->first.c_str());
        }
    }
    env_override(const env_override&) = delete;
    env_override& operator=(const env_override&) = delete;

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace azmi_test

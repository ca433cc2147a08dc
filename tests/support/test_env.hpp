// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Loads the `env.sh` that `scripts/servers start` writes, so integration tests see the same
/// AZMI_BLOB_ENDPOINT, MSI_ENDPOINT, MSI_SECRET … as a shell that sourced it.

#include <cstddef>    // size_t
#include <cstdlib>    // setenv, getenv
#include <fstream>    // ifstream
#include <stdexcept>  // runtime_error
#include <string>     // string, to_string

namespace azmi_test {

namespace detail {
inline bool is_name_char(char c, bool first) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

/// Unquotes one shell word: '…' (literal), "…" (\" \\ \$ \` escapes) and bare text (\x escapes), concatenated.
/// False on an unterminated quote or on anything after the word other than a comment.
inline bool unquote_shell_word(const std::string& text, std::size_t pos, std::string& out) {
    out.clear();
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == '\'') {
            const auto end = text.find('\'', pos + 1);
            if (end == std::string::npos) return false;
            out.append(text, pos + 1, end - pos - 1);
            pos = end + 1;
        } else if (c == '"') {
            ++pos;
            for (;;) {
                if (pos >= text.size()) return false;
                char d = text[pos++];
                if (d == '"') break;
                if (d == '\\' && pos < text.size()) {
                    const char e = text[pos];
                    if (e == '"' || e == '\\' || e == '$' || e == '`') {
                        d = e;
                        ++pos;
                    }
                }
                out.push_back(d);
            }
        } else if (c == '\\' && pos + 1 < text.size()) {
            out.push_back(text[pos + 1]);
            pos += 2;
        } else if (c == ' ' || c == '\t') {
            const auto rest = text.find_first_not_of(" \t", pos);
            return rest == std::string::npos || text[rest] == '#';
        } else {
            out.push_back(c);
            ++pos;
        }
    }
    return true;
}
}  // namespace detail

/// Reads `export NAME=VALUE` (or `NAME=VALUE`) lines from a sourceable shell file and setenv()s
/// each, overwriting. Blank lines and `#` comments are skipped. Returns how many were set.
/// Throws std::runtime_error naming the file and line (never the value, which may be a secret)
/// when the file cannot be read or a line is not a plain assignment.
inline std::size_t load_env_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read env file " + path + " (are the test servers started?)");
    std::string line;
    std::size_t line_no = 0;
    std::size_t count = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto pos = line.find_first_not_of(" \t");
        if (pos == std::string::npos || line[pos] == '#') continue;
        if (line.compare(pos, 7, "export ") == 0) pos = line.find_first_not_of(" \t", pos + 7);
        const auto name_begin = pos;
        while (pos != std::string::npos && pos < line.size() && detail::is_name_char(line[pos], pos == name_begin)) ++pos;
        if (pos == std::string::npos || pos == name_begin || pos >= line.size() || line[pos] != '=')
            throw std::runtime_error(path + ":" + std::to_string(line_no) + ": not a NAME=VALUE assignment");
        const std::string name = line.substr(name_begin, pos - name_begin);
        std::string value;
        if (!detail::unquote_shell_word(line, pos + 1, value))
            throw std::runtime_error(path + ":" + std::to_string(line_no) + ": cannot parse the value of " + name);
        if (::setenv(name.c_str(), value.c_str(), 1) != 0)
            throw std::runtime_error("setenv failed for " + name);
        ++count;
    }
    return count;
}

/// The value of environment variable `name`; throws std::runtime_error (naming it) when unset or empty.
inline std::string require_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        throw std::runtime_error(std::string("environment variable ") + name + " is not set");
    return value;
}

}  // namespace azmi_test

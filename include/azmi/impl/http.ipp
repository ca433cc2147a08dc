// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of http.hpp: method names and the `header_map` lookups and edits.

#include <azmi/http.hpp>

#include <algorithm>  // find_if, remove_if

AZMI_BEGIN_NAMESPACE

AZMI_DECL const char* to_string(http_method method) noexcept {
    switch (method) {
    case http_method::get: return "GET";
    case http_method::head: return "HEAD";
    case http_method::post: return "POST";
    case http_method::put: return "PUT";
    case http_method::delete_: return "DELETE";
    }
    return "GET";
}

AZMI_DECL header_map::header_map(std::initializer_list<field> fields) {
    for (const auto& f : fields) add(f.first, f.second);
}

AZMI_DECL void header_map::set(std::string_view name, std::string value) {
    auto it = find(name);
    if (it == fields_.end()) {
        fields_.emplace_back(std::string(name), std::move(value));
        return;
    }
    it->second = std::move(value);
    const auto first = it - fields_.begin();
    fields_.erase(std::remove_if(fields_.begin() + first + 1, fields_.end(),
                                 [name](const field& f) { return detail::iequals(f.first, name); }),
                  fields_.end());
}

AZMI_DECL std::optional<std::string_view> header_map::get(std::string_view name) const {
    auto it = find(name);
    if (it == fields_.end()) return std::nullopt;
    return std::string_view(it->second);
}

AZMI_DECL std::string_view header_map::value_or(std::string_view name, std::string_view fallback) const {
    auto it = find(name);
    return it == fields_.end() ? fallback : std::string_view(it->second);
}

AZMI_DECL std::size_t header_map::erase(std::string_view name) {
    const auto before = fields_.size();
    fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                                 [name](const field& f) { return detail::iequals(f.first, name); }),
                  fields_.end());
    return before - fields_.size();
}

AZMI_DECL std::vector<header_map::field>::const_iterator header_map::find(std::string_view name) const {
    return std::find_if(fields_.begin(), fields_.end(), [name](const field& f) { return detail::iequals(f.first, name); });
}

AZMI_DECL std::vector<header_map::field>::iterator header_map::find(std::string_view name) {
    return std::find_if(fields_.begin(), fields_.end(), [name](const field& f) { return detail::iequals(f.first, name); });
}

AZMI_END_NAMESPACE

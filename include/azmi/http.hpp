// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// HTTP messages as plain values: `http_request`, `http_response` and their `header_map`.
/// No I/O happens here; a `transport` (transport.hpp) moves these over the wire.

#include <azmi/version.hpp>

#include <cstddef>      // size_t
#include <initializer_list>  // initializer_list
#include <optional>     // optional
#include <string>       // string
#include <string_view>  // string_view
#include <utility>      // pair, move
#include <vector>       // vector

AZMI_BEGIN_NAMESPACE

/// The HTTP methods azmi sends.
enum class http_method { get, head, post, put, delete_ };

/// "GET", "HEAD", …
const char* to_string(http_method method) noexcept;

namespace detail {
inline char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool is_http_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// `value` without leading and trailing spaces, tabs, CRs and LFs: header field values, header
/// lines and `key=value` settings are all trimmed with this one rule.
inline std::string_view trim_http_space(std::string_view value) noexcept {
    while (!value.empty() && is_http_space(value.front())) value.remove_prefix(1);
    while (!value.empty() && is_http_space(value.back())) value.remove_suffix(1);
    return value;
}

/// Case-insensitive ASCII comparison, as HTTP field names require (RFC 9110 §5.1).
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
}  // namespace detail

/// HTTP header fields in the order they were added, looked up case-insensitively.
///
/// A small vector, not a map: messages carry a dozen fields, where a linear scan beats hashing.
class header_map {
public:
    using field = std::pair<std::string, std::string>;
    using const_iterator = std::vector<field>::const_iterator;

    header_map() = default;
    header_map(std::initializer_list<field> fields);

    /// Sets `name` to `value`, replacing every earlier field with that name.
    void set(std::string_view name, std::string value);

    /// Appends a field, keeping any earlier ones with the same name.
    void add(std::string_view name, std::string value) { fields_.emplace_back(std::string(name), std::move(value)); }

    /// The first value of `name`, or nothing.
    std::optional<std::string_view> get(std::string_view name) const;

    /// The first value of `name`, or `fallback`.
    std::string_view value_or(std::string_view name, std::string_view fallback) const;

    bool contains(std::string_view name) const { return find(name) != fields_.end(); }

    /// Removes every field called `name`; returns how many there were.
    std::size_t erase(std::string_view name);

    void clear() noexcept { fields_.clear(); }
    std::size_t size() const noexcept { return fields_.size(); }
    bool empty() const noexcept { return fields_.empty(); }
    const_iterator begin() const noexcept { return fields_.begin(); }
    const_iterator end() const noexcept { return fields_.end(); }

private:
    std::vector<field>::const_iterator find(std::string_view name) const;
    std::vector<field>::iterator find(std::string_view name);

    std::vector<field> fields_;
};

/// A request to send. `url` is absolute and already percent-encoded (see url.hpp).
struct http_request {
    http_method method = http_method::get;
    std::string url;
    header_map headers;
    std::string body;
    /// Never go through a proxy for this request. Set for managed identity calls, whose
    /// `secret` header must reach the local endpoint and nothing else.
    bool bypass_proxy = false;
};

/// A response as received. A 4xx or 5xx is a valid response, not a transport error.
struct http_response {
    int status = 0;
    header_map headers;
    /// The body (for streamed 2xx responses: empty, the bytes went to the sink).
    std::string body;

    bool ok() const noexcept { return status >= 200 && status < 300; }
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/http.ipp>
#endif

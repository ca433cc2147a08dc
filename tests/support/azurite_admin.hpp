// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Seeds Azurite from C++ for the integration tests: create and delete containers, upload blobs
/// (one Put Blob, or Put Block + Put Block List for large ones), signed with the account key
/// through azmi's own Shared Key signer and curl transport. Tests need no Python for their data.
///
/// The blob URL is percent-encoded here, independently of `blob_endpoint`, so a round trip
/// (upload here, read with `blob_reader`) would expose an encoding bug on either side instead of
/// the same bug cancelling out.

#include <azmi/detail/base64.hpp>
#include <azmi/detail/http_date.hpp>
#include <azmi/http.hpp>
#include <azmi/shared_key_credential.hpp>
#include <azmi/transport.hpp>

#include <algorithm>    // min
#include <chrono>       // system_clock
#include <cstddef>      // size_t
#include <cstdint>      // uint64_t
#include <cstdio>       // snprintf
#include <functional>   // function
#include <memory>       // shared_ptr
#include <random>       // random_device
#include <stdexcept>    // runtime_error
#include <string>       // string
#include <string_view>  // string_view
#include <utility>      // move
#include <vector>       // vector

namespace azmi_test {

/// Percent-encodes every byte but `A-Z a-z 0-9 - . _ ~` (and `/` when `keep_slash`): Python's
/// `quote(name, safe='~/')`, the stricter of the SDK encodings (REST-SPEC §2.3).
inline std::string strict_percent_encode(std::string_view text, bool keep_slash) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/');
        if (unreserved) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

/// A container name nobody else uses: `prefix` + "-" + 12 random hex digits. Tests share one
/// Azurite, so fixed names would collide between tests and between runs.
inline std::string unique_container_name(std::string_view prefix) {
    static constexpr char hex[] = "0123456789abcdef";
    std::random_device random;
    std::string name(prefix);
    name += '-';
    for (int i = 0; i < 12; ++i) name += hex[random() & 0xF];
    return name;
}

/// Container and blob administration with the account key. Throws std::runtime_error on any
/// failure; messages name the operation, status and error code, never the key or a signature.
class azurite_admin {
public:
    azurite_admin(std::shared_ptr<azmi::transport> transport, std::string endpoint_url, std::string account,
                  std::string account_key)
        : transport_(std::move(transport)),
          endpoint_(std::move(endpoint_url)),
          signer_(azmi::shared_key_credential::create(std::move(account), account_key).value()) {}

    const std::string& endpoint() const noexcept { return endpoint_; }

    void create_container(const std::string& container) {
        send(azmi::http_method::put, container_url(container) + "?restype=container", {}, "create container " + container);
    }

    /// Deletes a container and everything in it (Azurite keeps blobs in memory: free them).
    /// Returns false instead of throwing, so it can run in destructors.
    bool delete_container(const std::string& container) noexcept {
        try {
            send(azmi::http_method::delete_, container_url(container) + "?restype=container", {},
                 "delete container " + container);
            return true;
        } catch (...) {
            return false;
        }
    }

    /// One Put Blob: the whole body in one request (fine up to a few hundred MiB). `extra` adds
    /// headers such as `x-ms-meta-<name>`.
    void put_blob(const std::string& container, const std::string& blob, std::string data,
                  const std::string& content_type = "application/octet-stream", azmi::header_map extra = {}) {
        azmi::header_map headers = std::move(extra);
        headers.set("x-ms-blob-type", "BlockBlob");
        headers.set("Content-Type", content_type);
        send(azmi::http_method::put, blob_url(container, blob), std::move(headers), "put blob " + container + "/...",
             std::move(data));
    }

    /// Uploads a block blob of `total` bytes as blocks of at most `block_size`, asking
    /// `next_block(offset, length, buffer)` to fill `buffer` (resized to `length`) with the bytes at
    /// `offset`; then commits them with `commit_headers` (e.g. `x-ms-blob-content-md5`, which
    /// Put Block List stores without checking it). Memory stays at one block whatever the size.
    void put_blob_in_blocks(const std::string& container, const std::string& blob, std::uint64_t total,
                            std::size_t block_size,
                            const std::function<void(std::uint64_t, std::size_t, std::string&)>& next_block,
                            azmi::header_map commit_headers = {}) {
        std::vector<std::string> ids;
        std::string buffer;
        for (std::uint64_t offset = 0; offset < total; offset += block_size) {
            const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(block_size, total - offset));
            buffer.resize(length);
            next_block(offset, length, buffer);
            char raw[32];
            std::snprintf(raw, sizeof raw, "block-%08zu", ids.size());
            ids.push_back(azmi::detail::base64_encode(raw));  // equal lengths, as the service requires
            send(azmi::http_method::put,
                 blob_url(container, blob) + "?comp=block&blockid=" + strict_percent_encode(ids.back(), false), {},
                 "put block " + std::to_string(ids.size()), std::move(buffer));
        }
        std::string list = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
        for (const auto& id : ids) list += "<Latest>" + id + "</Latest>";
        list += "</BlockList>";
        azmi::header_map headers = std::move(commit_headers);
        headers.set("Content-Type", "application/xml");
        send(azmi::http_method::put, blob_url(container, blob) + "?comp=blocklist", std::move(headers),
             "put block list", std::move(list));
    }

    std::string container_url(const std::string& container) const { return endpoint_ + "/" + container; }
    std::string blob_url(const std::string& container, const std::string& blob) const {
        return container_url(container) + "/" + strict_percent_encode(blob, true);
    }

private:
    azmi::http_response send(azmi::http_method method, std::string url, azmi::header_map headers,
                             const std::string& what, std::string body = {}) {
        azmi::http_request request;
        request.method = method;
        request.url = std::move(url);
        request.headers = std::move(headers);
        request.headers.set("x-ms-version", "2025-01-05");
        request.headers.set("x-ms-date", azmi::detail::format_http_date(std::chrono::system_clock::now()));
        request.body = std::move(body);
        if (auto signed_ok = signer_.sign(request); !signed_ok)
            throw std::runtime_error("azurite_admin: " + what + ": " + signed_ok.error().message);
        auto response = transport_->send(request);
        if (!response) throw std::runtime_error("azurite_admin: " + what + ": " + response.error().to_string());
        if (!response->ok())
            throw std::runtime_error("azurite_admin: " + what + ": HTTP " + std::to_string(response->status) + " " +
                                     std::string(response->headers.value_or("x-ms-error-code", "")));
        return std::move(*response);
    }

    std::shared_ptr<azmi::transport> transport_;
    std::string endpoint_;
    azmi::shared_key_credential signer_;
};

/// A container created for one test and deleted (with its blobs) when the test ends.
class scoped_container {
public:
    scoped_container(azurite_admin& admin, std::string_view prefix)
        : admin_(admin), name_(unique_container_name(prefix)) {
        admin_.create_container(name_);
    }
    ~scoped_container() { admin_.delete_container(name_); }
    scoped_container(const scoped_container&) = delete;
    scoped_container& operator=(const scoped_container&) = delete;

    const std::string& name() const noexcept { return name_; }

private:
    azurite_admin& admin_;
    std::string name_;
};

}  // namespace azmi_test

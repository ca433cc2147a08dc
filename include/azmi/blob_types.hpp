// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Plain data describing blobs: properties, listing entries and pages. Filled from response
/// headers (Get Blob Properties) or from List Blobs XML; no I/O here.

#include <azmi/version.hpp>

#include <cstdint>  // uint64_t
#include <map>      // map
#include <string>   // string
#include <vector>   // vector

AZMI_BEGIN_NAMESPACE

/// What the service knows about a blob.
struct blob_properties {
    std::uint64_t size = 0;          ///< bytes
    std::string etag;                ///< as in the `ETag` header, quotes included: "\"0x8DC…\""
    std::string last_modified;       ///< RFC 1123, as sent: "Tue, 24 Nov 2026 16:16:58 GMT"
    std::string content_type;        ///< empty when unset
    std::string content_md5;         ///< base64 of the stored MD5; empty when the blob has none
    std::string content_encoding;    ///< empty when unset
    std::string blob_type;           ///< "BlockBlob", "AppendBlob" or "PageBlob"
    std::map<std::string, std::string> metadata;  ///< `x-ms-meta-<name>` with the prefix removed
};

/// One blob in a listing.
struct blob_item {
    std::string name;  ///< decoded: XML entities and `Encoded="true"` percent-encoding undone
    blob_properties properties;
};

/// One page of a List Blobs answer.
struct list_blobs_page {
    std::vector<blob_item> blobs;
    /// With a delimiter: the "directories" (`BlobPrefix` names) on this page.
    std::vector<std::string> prefixes;
    /// Opaque continuation; empty on the last page.
    std::string next_marker;
};

AZMI_END_NAMESPACE

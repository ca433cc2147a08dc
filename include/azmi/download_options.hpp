// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `download_options`: how `blob_reader` fetches a blob's bytes (chunking, parallelism,
/// checksums, progress, resumption). The same options serve every read target: string,
/// vector, caller's buffer, file and sink.

#include <azmi/version.hpp>

#include <chrono>      // milliseconds
#include <cstdint>     // uint64_t
#include <functional>  // function
#include <optional>    // optional

AZMI_BEGIN_NAMESPACE

/// Per-range checksums the service computes and the reader checks (REST-SPEC §1.4).
enum class transfer_checksum {
    none,   ///< rely on TLS (and the whole-blob Content-MD5 when the blob has one)
    md5,    ///< `x-ms-range-get-content-md5: true`; response `Content-MD5` per range
    crc64,  ///< `x-ms-range-get-content-crc64: true`; response `x-ms-content-crc64` per range
};

/// Called with the bytes received so far and the total to receive (the blob size, or the
/// range size for range reads). Return false to cancel: the read then fails with
/// `errc::cancelled` and hands nothing back (a download's temporary file is removed).
///
/// Called on the thread that started the read, never concurrently, with `bytes_done`
/// never decreasing; at most once per `progress_interval` except the last call, which is
/// always made on success with `bytes_done == total` (also for an empty blob: `(0, 0)`).
/// Not called before the first response tells the total.
using progress_callback = std::function<bool(std::uint64_t bytes_done, std::uint64_t total)>;

/// A part of a blob: `length` bytes from `offset`, or to the end when `length` is unset. A
/// range running past the end is clipped to the blob, as the service does; one starting past
/// the end is `errc::invalid_range` (except offset 0 of an empty blob, which reads nothing).
struct byte_range {
    std::uint64_t offset = 0;
    std::optional<std::uint64_t> length;
};

/// How to download. Defaults suit a VM reading large model files.
struct download_options {
    /// Read only this part of the blob (any target). Unset: the whole blob.
    std::optional<byte_range> range;
    /// Bytes per ranged GET when several are in flight. The first request (`first_chunk_size`)
    /// learns the blob size and ETag; the rest is fetched in chunks pinned to that ETag
    /// (`If-Match`), or, when only one request is in flight (`concurrency` 1, or a sink) and no
    /// `transfer_checksum` is asked for, in one ranged GET. 0 (the default) lets the download
    /// choose: about two chunks per worker, and no fewer than `min_automatic_chunk_size` bytes
    /// each, so a large blob takes few requests (each costs the service a fixed amount of work
    /// before its first byte) while a slow connection holds up only a small share at the end.
    /// When the blob's stored MD5 is verified (`verify_content_md5`) it chooses
    /// `min_automatic_chunk_size` instead: that hash runs in blob order, and bigger chunks in
    /// flight would leave more of it to do after the last byte arrives. With a
    /// `transfer_checksum` the chunk is capped at 4 MiB, the service's limit for those.
    std::uint64_t chunk_size = 0;
    /// The smallest chunk `chunk_size` 0 chooses.
    static constexpr std::uint64_t min_automatic_chunk_size = 8ULL * 1024 * 1024;
    /// Bytes asked for by the first request, which learns the blob's size and ETag before the
    /// target can be sized, so its bytes are buffered once. Kept small so that buffer stays small
    /// (to-memory reads peak at about the blob size) and parallel workers start sooner; blobs no
    /// larger than this take one request. Capped at the chunk size.
    std::uint64_t first_chunk_size = 1024 * 1024;
    /// Ranged GETs in flight at once (worker threads) for targets that can be written in any
    /// order (string, vector, buffer, file). Sinks always receive bytes in order, one request
    /// at a time. Memory beyond the target stays bounded by about `first_chunk_size` whatever
    /// the blob size: later chunks stream straight into the target.
    unsigned concurrency = 4;
    /// Per-range checksum to request and verify; mismatch, or a service that does not send the
    /// checksum (Azurite ignores the CRC64 flag), → `errc::integrity`.
    transfer_checksum checksum = transfer_checksum::none;
    /// Verify the blob's stored MD5 (`Content-MD5` on a full GET, `x-ms-blob-content-md5` on a
    /// ranged one) when the service reports one and the whole blob is read. Hashed in order as
    /// chunks complete, so it overlaps with the download. Mismatch → `errc::integrity`.
    bool verify_content_md5 = true;
    /// How often a transfer cut mid-body (reset, timeout, short body) is resumed from the last
    /// byte received, with a new ranged GET pinned by `If-Match`; per chunk. With a
    /// `transfer_checksum` a cut chunk is fetched again from its start instead (the checksum
    /// covers the whole range).
    int max_resumes = 5;
    /// Progress report and cancellation; see `progress_callback`.
    progress_callback progress;
    /// Minimum time between two progress calls (the last call is never skipped).
    std::chrono::milliseconds progress_interval{100};
    /// `download_to_file` only: replace an existing destination file (atomically, by rename).
    /// When false, an existing file is an `errc::io` error and is left untouched.
    bool overwrite = true;
};

AZMI_END_NAMESPACE

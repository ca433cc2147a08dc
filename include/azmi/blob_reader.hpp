// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `blob_reader`: reads blobs, their properties and listings from one storage account.
///
/// Every function has a non-throwing `try_` twin returning `azmi::result`; the plain one calls
/// `.value()` and throws `azmi::exception`. A reader is immutable and thread-safe: share one
/// across a service.
///
/// Example (Azure ML scoring script with the endpoint's managed identity):
///     auto http = azmi::make_curl_transport();
///     auto identity = std::make_shared<azmi::system_assigned_credential>(http);
///     azmi::blob_reader reader{azmi::blob_endpoint::for_account("mystorage"),
///                              azmi::storage_auth::bearer(identity), http};
///     std::string config = reader.read_to_string("models", "v3/config.json");
///     reader.download_to_file("models", "v3/weights.bin", "/tmp/weights.bin");
///
/// Requests carry `x-ms-version`, a fresh `x-ms-date`, a UUID `x-ms-client-request-id` and
/// `User-Agent: azmi/<version>`; failures retry per `retry_options`; a rejected bearer token
/// is refreshed once. Redirects are never followed. Every HTTP operation (each chunk of a
/// download, each listing page) gets its own client request id; its retries keep it, with a
/// new `x-ms-date`, so the service logs show them as attempts of one operation (as in the
/// Azure SDKs). The id is in every `azmi::error` as `client_request_id`.
///
/// Downloads write files through POSIX calls (`pwrite`, `fsync`, `rename`).

#include <azmi/blob_endpoint.hpp>
#include <azmi/blob_types.hpp>
#include <azmi/detail/growable_buffer.hpp>
#include <azmi/download_options.hpp>
#include <azmi/error.hpp>
#include <azmi/retry.hpp>
#include <azmi/storage_auth.hpp>
#include <azmi/transport.hpp>
#include <azmi/version.hpp>

#include <cstddef>      // size_t, byte, ptrdiff_t
#include <cstdint>      // uint64_t, uint32_t
#include <functional>   // function
#include <iterator>     // input_iterator_tag
#include <memory>       // shared_ptr
#include <optional>     // optional
#include <string>       // string
#include <string_view>  // string_view
#include <type_traits>  // is_same_v, is_convertible_v, is_pointer_v
#include <utility>      // move
#include <vector>       // vector

AZMI_BEGIN_NAMESPACE
namespace detail {
// Defined in detail/blob_request.hpp and detail/download.hpp, which only impl/blob_reader.ipp
// includes: the reader holds the pipeline through a shared_ptr, so its type can stay incomplete here.
class storage_pipeline;
class download_target;

/// A download destination as the `std::string` the file code takes: anything convertible to
/// `std::string_view` as is (a null C string becomes empty, hence "must name a file"), anything
/// else through its `string()` member (`std::filesystem::path`). A dependent call, so this header
/// needs no `<filesystem>`: callers passing a path have included it already.
template <class Path>
std::string path_string(const Path& path) {
    if constexpr (std::is_convertible_v<const Path&, std::string_view>) {
        if constexpr (std::is_pointer_v<Path>) {
            if (path == nullptr) return std::string();
        }
        return std::string(std::string_view(path));
    } else {
        return path.string();
    }
}
}  // namespace detail

/// The `x-ms-version` sent unless `blob_reader_options::api_version` says otherwise: a GA
/// version ≥ 2017-11-09 (bearer tokens) and ≥ 2019-02-02 (CRC64, request-id echo).
inline constexpr std::string_view default_storage_api_version = "2025-01-05";

/// Settings of a `blob_reader`, fixed at construction.
struct blob_reader_options {
    /// `x-ms-version` (YYYY-MM-DD). Older Azurite releases need `--skipApiVersionCheck` for new ones.
    std::string api_version = std::string(default_storage_api_version);
    /// Retries of every storage request.
    retry_options retry;
    /// Optional application name put before `azmi/<version>` in `User-Agent` (control characters dropped).
    std::string application_id;
};

/// What to list.
struct list_options {
    /// Only blobs whose names start with this.
    std::string prefix;
    /// Group names at this delimiter (usually "/"): the groups come back as `prefixes`.
    std::string delimiter;
    /// Entries per page (`maxresults`); 0 lets the service choose (5000, also its maximum).
    std::uint32_t page_size = 0;
    /// Also return each blob's metadata.
    bool include_metadata = false;
};

/// Pages of a List Blobs listing, fetched one request at a time by following `NextMarker`.
///
/// Example:
///     auto pager = reader.list_blobs("models", {"v3/", "/"});
///     while (pager.has_more_pages())
///         for (const auto& blob : pager.next_page().blobs) use(blob.name);
class list_blobs_pager {
public:
    /// True until the last page (the one without `NextMarker`) has been returned.
    bool has_more_pages() const noexcept { return !done_; }

    /// The next page; an error leaves the pager where it was, so the call can be repeated.
    result<list_blobs_page> try_next_page();

    /// Throwing twin of `try_next_page`.
    list_blobs_page next_page();

private:
    friend class blob_reader;
    list_blobs_pager(std::shared_ptr<const detail::storage_pipeline> pipeline, std::string container_url,
                     std::string what, list_options options)
        : pipeline_(std::move(pipeline)),
          container_url_(std::move(container_url)),
          what_(std::move(what)),
          options_(std::move(options)) {}

    std::shared_ptr<const detail::storage_pipeline> pipeline_;
    std::string container_url_;
    std::string what_;
    list_options options_;
    std::string marker_;
    bool done_ = false;
};

/// Every blob of a listing as one single-pass input range; pages are fetched as iteration
/// reaches them. Errors (also an invalid container name) throw `azmi::exception` from
/// `begin()` or `++`; use `list_blobs_pager::try_next_page` to handle them without exceptions.
/// `prefixes` (with a delimiter) are only available through the pager.
///
/// Example:
///     for (const azmi::blob_item& blob : reader.all_blobs("models"))
///         std::cout << blob.name << ' ' << blob.properties.size << '\n';
class blob_item_range {
    struct state {
        list_blobs_pager pager;
        list_blobs_page page;
        std::size_t index = 0;
        bool finished = false;

        /// Moves to the next item, fetching pages (skipping empty ones) as needed.
        void advance();
        /// Moves to the first item at or after `index`, fetching pages as needed.
        void settle();
    };

public:
    /// Input iterator over `blob_item`s; all copies share one position.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = blob_item;
        using difference_type = std::ptrdiff_t;
        using pointer = const blob_item*;
        using reference = const blob_item&;

        iterator() = default;
        reference operator*() const { return state_->page.blobs[state_->index]; }
        pointer operator->() const { return &state_->page.blobs[state_->index]; }
        iterator& operator++() {
            state_->advance();
            return *this;
        }
        /// Post-increment of an input iterator: the returned proxy holds the item it was at.
        struct postfix {
            blob_item item;
            const blob_item& operator*() const noexcept { return item; }
        };
        postfix operator++(int) {
            postfix before{**this};
            ++*this;
            return before;
        }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.at_end() == b.at_end(); }
        friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

    private:
        friend class blob_item_range;
        explicit iterator(std::shared_ptr<state> s) : state_(std::move(s)) {}
        bool at_end() const noexcept { return !state_ || state_->finished; }
        std::shared_ptr<state> state_;
    };

    /// Fetches the first page (throws on failure). Single pass: a second `begin()` continues.
    iterator begin();
    iterator end() const noexcept { return iterator(); }

private:
    friend class blob_reader;
    explicit blob_item_range(result<list_blobs_pager> pager) : pager_(std::move(pager)) {}
    result<list_blobs_pager> pager_;
    std::shared_ptr<state> state_;
};

/// Reads one storage account. See the file comment.
class blob_reader {
public:
    /// A reader for `endpoint`, authorized by `auth`, sending through `transport`. Never
    /// throws: a bad option or a null transport makes every call fail with `invalid_argument`.
    blob_reader(blob_endpoint endpoint, storage_auth auth, std::shared_ptr<transport> transport,
                blob_reader_options options = {});

    /// A reader from an Azure Storage connection string: `AccountKey` → Shared Key,
    /// `SharedAccessSignature` → SAS, neither → anonymous; `BlobEndpoint` or
    /// `{protocol}://{account}.blob.{suffix}`; `UseDevelopmentStorage=true` → Azurite's account.
    static result<blob_reader> try_from_connection_string(std::string_view connection, std::shared_ptr<transport> transport,
                                                          blob_reader_options options = {});
    /// Throwing twin of `try_from_connection_string`.
    static blob_reader from_connection_string(std::string_view connection, std::shared_ptr<transport> transport,
                                              blob_reader_options options = {});

    /// The endpoint and authorization the reader was built with.
    const blob_endpoint& endpoint() const noexcept;
    const storage_auth& auth() const noexcept;

    // ---- whole blob (or `options.range`) into memory ---------------------------------------
    //
    // From 8 MiB on, the string or vector is reserved for the whole blob and a short-lived helper
    // thread grows it (zero-filling and faulting in its pages) while the bytes arrive, so that
    // work overlaps the transfer instead of delaying it.

    /// The blob's bytes as a string.
    result<std::string> try_read_to_string(std::string_view container, std::string_view blob,
                                           const download_options& options = {}) const;
    std::string read_to_string(std::string_view container, std::string_view blob,
                               const download_options& options = {}) const;

    /// The blob's bytes as a vector of `std::byte` (default), `unsigned char` or `char`.
    template <class Byte = std::byte>
    result<std::vector<Byte>> try_read_to_vector(std::string_view container, std::string_view blob,
                                                 const download_options& options = {}) const {
        static_assert(is_byte<Byte>, "read_to_vector needs std::byte, unsigned char or char");
        std::vector<Byte> out;
        detail::container_buffer<std::vector<Byte>> buffer(out);  // the download writes straight into `out`
        auto r = read_to_growable(container, blob, options, buffer);
        if (!r) return std::move(r).error();
        return out;
    }
    template <class Byte = std::byte>
    std::vector<Byte> read_to_vector(std::string_view container, std::string_view blob,
                                     const download_options& options = {}) const {
        return try_read_to_vector<Byte>(container, blob, options).value();
    }

    /// Reads into the caller's buffer `[data, data + capacity)` and returns the byte count. A
    /// blob larger than the buffer is `errc::invalid_argument` (never silently truncated). On
    /// failure the buffer may hold part of the data.
    template <class Byte>
    result<std::size_t> try_read_into(std::string_view container, std::string_view blob, Byte* data,
                                      std::size_t capacity, const download_options& options = {}) const {
        static_assert(is_byte<Byte>, "read_into needs a buffer of std::byte, unsigned char or char");
        return read_to_buffer(container, blob, static_cast<void*>(data), capacity, options);
    }
    template <class Byte>
    std::size_t read_into(std::string_view container, std::string_view blob, Byte* data, std::size_t capacity,
                          const download_options& options = {}) const {
        return try_read_into(container, blob, data, capacity, options).value();
    }

    /// `length` bytes from `offset` (to the end when unset) as a string; a range running past
    /// the end is clipped. Shorthand for `read_to_string` with `options.range`.
    result<std::string> try_read_range(std::string_view container, std::string_view blob, std::uint64_t offset,
                                       std::optional<std::uint64_t> length, download_options options = {}) const;
    std::string read_range(std::string_view container, std::string_view blob, std::uint64_t offset,
                           std::optional<std::uint64_t> length, download_options options = {}) const;

    // ---- streaming targets -----------------------------------------------------------------

    /// Downloads to `path` through a temporary file in the same directory (parallel ranged
    /// writes, fsync, rename on success). On any failure the temporary is removed and `path` is
    /// left as it was. Returns the blob's properties.
    ///
    /// `Path` may be `std::filesystem::path` (its `string()` is used), `std::string`,
    /// `std::string_view`, a C string, or any type convertible to `std::string_view`.
    template <class Path>
    result<blob_properties> try_download_to_file(std::string_view container, std::string_view blob, const Path& path,
                                                 const download_options& options = {}) const {
        return download_file(container, blob, detail::path_string(path), options);
    }
    template <class Path>
    blob_properties download_to_file(std::string_view container, std::string_view blob, const Path& path,
                                     const download_options& options = {}) const {
        return download_file(container, blob, detail::path_string(path), options).value();
    }

    /// Streams the bytes, in order, to `sink` on the calling thread (one request at a time).
    /// `sink` returning false cancels (`errc::cancelled`); an exception it throws propagates
    /// after cleanup. The whole-blob MD5 can only be checked after the last byte was handed
    /// over: on `errc::integrity` discard what the sink received.
    result<blob_properties> try_read_to_sink(std::string_view container, std::string_view blob,
                                             std::function<bool(std::string_view)> sink,
                                             const download_options& options = {}) const;
    /// The same with a `body_sink`.
    result<blob_properties> try_read_to_sink(std::string_view container, std::string_view blob, body_sink& sink,
                                             const download_options& options = {}) const;
    blob_properties read_to_sink(std::string_view container, std::string_view blob,
                                 std::function<bool(std::string_view)> sink, const download_options& options = {}) const;
    blob_properties read_to_sink(std::string_view container, std::string_view blob, body_sink& sink,
                                 const download_options& options = {}) const;

    // ---- properties ------------------------------------------------------------------------

    /// Get Blob Properties (HEAD): size, ETag, Last-Modified, content type/MD5/encoding, blob
    /// type and `x-ms-meta-*` metadata. Errors carry only the `x-ms-error-code` header (HEAD
    /// answers have no body).
    result<blob_properties> try_get_properties(std::string_view container, std::string_view blob) const;
    blob_properties get_properties(std::string_view container, std::string_view blob) const;

    /// Whether the blob exists (HEAD). A missing container also gives false, not an error: the
    /// answer to "is there a blob here" is no either way, and a service checking for optional
    /// files should not need two not-found cases. Every other failure is an error.
    result<bool> try_exists(std::string_view container, std::string_view blob) const;
    bool exists(std::string_view container, std::string_view blob) const;

    // ---- listing ---------------------------------------------------------------------------

    /// A pager over List Blobs; no request is sent until `next_page()`.
    result<list_blobs_pager> try_list_blobs(std::string_view container, list_options options = {}) const;
    list_blobs_pager list_blobs(std::string_view container, list_options options = {}) const;

    /// Every blob of the listing as an input range (pages fetched lazily; errors throw).
    blob_item_range all_blobs(std::string_view container, list_options options = {}) const;

private:
    template <class Byte>
    static constexpr bool is_byte =
        std::is_same_v<Byte, std::byte> || std::is_same_v<Byte, unsigned char> || std::is_same_v<Byte, char>;

    static bool valid_api_version(const std::string& v);
    static std::string describe(std::string_view container, std::string_view blob);

    // The non-template cores of the templates above, out of line with the download engine.
    result<void> read_to_growable(std::string_view container, std::string_view blob, const download_options& options,
                                  detail::growable_buffer& out) const;
    result<std::size_t> read_to_buffer(std::string_view container, std::string_view blob, void* data,
                                       std::size_t capacity, const download_options& options) const;
    result<blob_properties> download_file(std::string_view container, std::string_view blob, const std::string& path,
                                          const download_options& options) const;

    result<blob_properties> run(std::string_view container, std::string_view blob, const download_options& options,
                                detail::download_target& target) const;

    std::shared_ptr<const detail::storage_pipeline> pipeline_;
    std::optional<error> config_error_;
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/blob_reader.ipp>
#endif

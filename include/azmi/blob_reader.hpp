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
#include <azmi/connection_string.hpp>
#include <azmi/detail/blob_request.hpp>
#include <azmi/detail/download.hpp>
#include <azmi/detail/download_targets.hpp>
#include <azmi/detail/xml.hpp>
#include <azmi/download_options.hpp>
#include <azmi/error.hpp>
#include <azmi/retry.hpp>
#include <azmi/storage_auth.hpp>
#include <azmi/transport.hpp>
#include <azmi/url.hpp>
#include <azmi/version.hpp>

#include <cstddef>      // size_t, byte, ptrdiff_t
#include <cstdint>      // uint64_t, uint32_t
#include <filesystem>   // path
#include <functional>   // function
#include <iterator>     // input_iterator_tag
#include <memory>       // shared_ptr, make_shared
#include <optional>     // optional
#include <string>       // string
#include <string_view>  // string_view
#include <type_traits>  // is_same_v
#include <utility>      // move
#include <vector>       // vector

AZMI_BEGIN_NAMESPACE

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
    result<list_blobs_page> try_next_page() {
        if (done_) return error(errc::invalid_argument, what_ + ": no more pages (has_more_pages() is false)");
        std::string url = container_url_;
        append_query(url, "restype", "container");
        append_query(url, "comp", "list");
        if (!options_.prefix.empty()) append_query(url, "prefix", options_.prefix);
        if (!options_.delimiter.empty()) append_query(url, "delimiter", options_.delimiter);
        if (options_.page_size > 0) append_query(url, "maxresults", std::to_string(options_.page_size));
        if (options_.include_metadata) append_query(url, "include", "metadata");
        if (!marker_.empty()) append_query(url, "marker", marker_);

        detail::storage_request spec;
        spec.method = http_method::get;
        spec.url = std::move(url);
        spec.what = what_;
        auto response = pipeline_->send(spec);
        if (!response) return std::move(response).error();
        auto page = detail::parse_list_blobs(response->body);
        if (!page) {
            error e = std::move(page).error();
            e.message = what_ + ": " + e.message;
            e.status = response->status;
            e.request_id = std::string(response->headers.value_or("x-ms-request-id", ""));
            return e;
        }
        if (!page->next_marker.empty() && page->next_marker == marker_)
            return error(errc::malformed_response, what_ + ": the service returned the same NextMarker twice");
        marker_ = page->next_marker;
        done_ = marker_.empty();
        return std::move(*page);
    }

    /// Throwing twin of `try_next_page`.
    list_blobs_page next_page() { return try_next_page().value(); }

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
        void advance() {
            ++index;
            settle();
        }
        void settle() {
            while (index >= page.blobs.size()) {
                if (!pager.has_more_pages()) {
                    finished = true;
                    return;
                }
                page = pager.next_page();
                index = 0;
            }
        }
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
    iterator begin() {
        if (!state_) {
            if (!pager_) throw exception(pager_.error());
            state_ = std::make_shared<state>(state{std::move(*pager_), {}, 0, false});
            state_->settle();
        }
        return iterator(state_);
    }
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
                blob_reader_options options = {}) {
        std::string user_agent = "azmi/" + std::string(version_string);
        std::string app;
        for (char c : options.application_id)
            if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) app += c;
        if (!app.empty()) user_agent = app + " " + user_agent;
        if (!valid_api_version(options.api_version))
            config_error_ = error(errc::invalid_argument, "blob_reader_options::api_version must look like YYYY-MM-DD");
        else if (!transport)
            config_error_ = error(errc::invalid_argument, "blob_reader was given no transport");
        pipeline_ = std::make_shared<const detail::storage_pipeline>(std::move(endpoint), std::move(auth),
                                                                     std::move(transport), std::move(options.api_version),
                                                                     std::move(options.retry), std::move(user_agent));
    }

    /// A reader from an Azure Storage connection string: `AccountKey` → Shared Key,
    /// `SharedAccessSignature` → SAS, neither → anonymous; `BlobEndpoint` or
    /// `{protocol}://{account}.blob.{suffix}`; `UseDevelopmentStorage=true` → Azurite's account.
    static result<blob_reader> try_from_connection_string(std::string_view connection, std::shared_ptr<transport> transport,
                                                          blob_reader_options options = {}) {
        auto cs = parse_connection_string(connection);
        if (!cs) return std::move(cs).error();
        auto endpoint = cs->blob_endpoint.empty() ? blob_endpoint::try_for_account(cs->account_name)
                                                  : blob_endpoint::try_from_url(cs->blob_endpoint, cs->account_name);
        if (!endpoint) return std::move(endpoint).error();
        storage_auth auth;
        if (!cs->account_key.empty()) {
            auto key = storage_auth::try_shared_key(cs->account_name, cs->account_key);
            if (!key) return std::move(key).error();
            auth = std::move(*key);
        } else if (!cs->sas_token.empty()) {
            auto sas = storage_auth::try_sas(cs->sas_token);
            if (!sas) return std::move(sas).error();
            auth = std::move(*sas);
        }
        return blob_reader(std::move(*endpoint), std::move(auth), std::move(transport), std::move(options));
    }
    /// Throwing twin of `try_from_connection_string`.
    static blob_reader from_connection_string(std::string_view connection, std::shared_ptr<transport> transport,
                                              blob_reader_options options = {}) {
        return try_from_connection_string(connection, std::move(transport), std::move(options)).value();
    }

    const blob_endpoint& endpoint() const noexcept { return pipeline_->endpoint(); }
    const storage_auth& auth() const noexcept { return pipeline_->auth(); }

    // ---- whole blob (or `options.range`) into memory ---------------------------------------

    /// The blob's bytes as a string.
    result<std::string> try_read_to_string(std::string_view container, std::string_view blob,
                                           const download_options& options = {}) const {
        std::string out;
        detail::container_target<std::string> target(out);
        auto r = run(container, blob, options, target);
        if (!r) return std::move(r).error();
        return out;
    }
    std::string read_to_string(std::string_view container, std::string_view blob,
                               const download_options& options = {}) const {
        return try_read_to_string(container, blob, options).value();
    }

    /// The blob's bytes as a vector of `std::byte` (default), `unsigned char` or `char`.
    template <class Byte = std::byte>
    result<std::vector<Byte>> try_read_to_vector(std::string_view container, std::string_view blob,
                                                 const download_options& options = {}) const {
        static_assert(is_byte<Byte>, "read_to_vector needs std::byte, unsigned char or char");
        std::vector<Byte> out;
        detail::container_target<std::vector<Byte>> target(out);
        auto r = run(container, blob, options, target);
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
        if (data == nullptr && capacity > 0) return error(errc::invalid_argument, "read_into was given a null buffer");
        detail::buffer_target target(data, capacity);
        auto r = run(container, blob, options, target);
        if (!r) return std::move(r).error();
        return target.size();
    }
    template <class Byte>
    std::size_t read_into(std::string_view container, std::string_view blob, Byte* data, std::size_t capacity,
                          const download_options& options = {}) const {
        return try_read_into(container, blob, data, capacity, options).value();
    }

    /// `length` bytes from `offset` (to the end when unset) as a string; a range running past
    /// the end is clipped. Shorthand for `read_to_string` with `options.range`.
    result<std::string> try_read_range(std::string_view container, std::string_view blob, std::uint64_t offset,
                                       std::optional<std::uint64_t> length, download_options options = {}) const {
        options.range = byte_range{offset, length};
        return try_read_to_string(container, blob, options);
    }
    std::string read_range(std::string_view container, std::string_view blob, std::uint64_t offset,
                           std::optional<std::uint64_t> length, download_options options = {}) const {
        return try_read_range(container, blob, offset, length, std::move(options)).value();
    }

    // ---- streaming targets -----------------------------------------------------------------

    /// Downloads to `path` through a temporary file in the same directory (parallel ranged
    /// writes, fsync, rename on success). On any failure the temporary is removed and `path` is
    /// left as it was. Returns the blob's properties.
    result<blob_properties> try_download_to_file(std::string_view container, std::string_view blob,
                                                 const std::filesystem::path& path,
                                                 const download_options& options = {}) const {
        detail::file_target target(path, options.overwrite);
        return run(container, blob, options, target);
    }
    blob_properties download_to_file(std::string_view container, std::string_view blob, const std::filesystem::path& path,
                                     const download_options& options = {}) const {
        return try_download_to_file(container, blob, path, options).value();
    }

    /// Streams the bytes, in order, to `sink` on the calling thread (one request at a time).
    /// `sink` returning false cancels (`errc::cancelled`); an exception it throws propagates
    /// after cleanup. The whole-blob MD5 can only be checked after the last byte was handed
    /// over: on `errc::integrity` discard what the sink received.
    result<blob_properties> try_read_to_sink(std::string_view container, std::string_view blob,
                                             std::function<bool(std::string_view)> sink,
                                             const download_options& options = {}) const {
        if (!sink) return error(errc::invalid_argument, "read_to_sink was given an empty function");
        detail::sink_target target(std::move(sink));
        return run(container, blob, options, target);
    }
    /// The same with a `body_sink`.
    result<blob_properties> try_read_to_sink(std::string_view container, std::string_view blob, body_sink& sink,
                                             const download_options& options = {}) const {
        return try_read_to_sink(container, blob, [&sink](std::string_view data) { return sink.write(data); }, options);
    }
    blob_properties read_to_sink(std::string_view container, std::string_view blob,
                                 std::function<bool(std::string_view)> sink, const download_options& options = {}) const {
        return try_read_to_sink(container, blob, std::move(sink), options).value();
    }
    blob_properties read_to_sink(std::string_view container, std::string_view blob, body_sink& sink,
                                 const download_options& options = {}) const {
        return try_read_to_sink(container, blob, sink, options).value();
    }

    // ---- properties ------------------------------------------------------------------------

    /// Get Blob Properties (HEAD): size, ETag, Last-Modified, content type/MD5/encoding, blob
    /// type and `x-ms-meta-*` metadata. Errors carry only the `x-ms-error-code` header (HEAD
    /// answers have no body).
    result<blob_properties> try_get_properties(std::string_view container, std::string_view blob) const {
        if (config_error_) return *config_error_;
        auto url = pipeline_->endpoint().try_blob_url(container, blob);
        if (!url) return std::move(url).error();
        detail::storage_request spec;
        spec.method = http_method::head;
        spec.url = std::move(*url);
        spec.what = "HEAD " + describe(container, blob);
        auto response = pipeline_->send(spec);
        if (!response) return std::move(response).error();
        return detail::properties_from_headers(response->headers);
    }
    blob_properties get_properties(std::string_view container, std::string_view blob) const {
        return try_get_properties(container, blob).value();
    }

    /// Whether the blob exists (HEAD). A missing container also gives false, not an error: the
    /// answer to "is there a blob here" is no either way, and a service checking for optional
    /// files should not need two not-found cases. Every other failure is an error.
    result<bool> try_exists(std::string_view container, std::string_view blob) const {
        auto props = try_get_properties(container, blob);
        if (props) return true;
        const errc code = props.error().code;
        if (code == errc::blob_not_found || code == errc::container_not_found) return false;
        return std::move(props).error();
    }
    bool exists(std::string_view container, std::string_view blob) const { return try_exists(container, blob).value(); }

    // ---- listing ---------------------------------------------------------------------------

    /// A pager over List Blobs; no request is sent until `next_page()`.
    result<list_blobs_pager> try_list_blobs(std::string_view container, list_options options = {}) const {
        if (config_error_) return *config_error_;
        auto url = pipeline_->endpoint().try_container_url(container);
        if (!url) return std::move(url).error();
        return list_blobs_pager(pipeline_, std::move(*url), "List Blobs in container '" + std::string(container) + "'",
                                std::move(options));
    }
    list_blobs_pager list_blobs(std::string_view container, list_options options = {}) const {
        return try_list_blobs(container, std::move(options)).value();
    }

    /// Every blob of the listing as an input range (pages fetched lazily; errors throw).
    blob_item_range all_blobs(std::string_view container, list_options options = {}) const {
        return blob_item_range(try_list_blobs(container, std::move(options)));
    }

private:
    template <class Byte>
    static constexpr bool is_byte =
        std::is_same_v<Byte, std::byte> || std::is_same_v<Byte, unsigned char> || std::is_same_v<Byte, char>;

    static bool valid_api_version(const std::string& v) {
        if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
        for (std::size_t i = 0; i < v.size(); ++i)
            if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9')) return false;
        return true;
    }

    static std::string describe(std::string_view container, std::string_view blob) {
        return "blob '" + std::string(container) + "/" + detail::printable_name(blob, 200) + "'";
    }

    result<blob_properties> run(std::string_view container, std::string_view blob, const download_options& options,
                                detail::download_target& target) const {
        if (config_error_) return *config_error_;
        auto url = pipeline_->endpoint().try_blob_url(container, blob);
        if (!url) return std::move(url).error();
        const std::uint64_t offset = options.range ? options.range->offset : 0;
        const std::optional<std::uint64_t> length = options.range ? options.range->length : std::nullopt;
        detail::downloader d(*pipeline_, std::move(*url), describe(container, blob), options, offset, length, target);
        auto r = d.run();
        if (!r) return std::move(r).error();
        return std::move(r->properties);
    }

    std::shared_ptr<const detail::storage_pipeline> pipeline_;
    std::optional<error> config_error_;
};

AZMI_END_NAMESPACE

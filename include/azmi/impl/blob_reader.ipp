// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of blob_reader.hpp: `blob_reader`, `list_blobs_pager` and the download targets' wiring.

#include <azmi/blob_reader.hpp>

#include <azmi/blob_endpoint.hpp>
#include <azmi/connection_string.hpp>
#include <azmi/detail/blob_request.hpp>
#include <azmi/detail/download.hpp>
#include <azmi/detail/download_targets.hpp>
#include <azmi/detail/growable_buffer.hpp>
#include <azmi/detail/xml.hpp>
#include <azmi/url.hpp>

#include <cstddef>      // size_t
#include <cstdint>      // uint64_t
#include <filesystem>   // path
#include <functional>   // function
#include <memory>       // make_shared
#include <optional>     // optional, nullopt
#include <string>       // string, to_string
#include <string_view>  // string_view
#include <utility>      // move

AZMI_BEGIN_NAMESPACE

// ---- list_blobs_pager --------------------------------------------------------------------

AZMI_DECL result<list_blobs_page> list_blobs_pager::try_next_page() {
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

AZMI_DECL list_blobs_page list_blobs_pager::next_page() { return try_next_page().value(); }

// ---- blob_item_range ---------------------------------------------------------------------

AZMI_DECL void blob_item_range::state::advance() {
    ++index;
    settle();
}

AZMI_DECL void blob_item_range::state::settle() {
    while (index >= page.blobs.size()) {
        if (!pager.has_more_pages()) {
            finished = true;
            return;
        }
        page = pager.next_page();
        index = 0;
    }
}

AZMI_DECL blob_item_range::iterator blob_item_range::begin() {
    if (!state_) {
        if (!pager_) throw exception(pager_.error());
        state_ = std::make_shared<state>(state{std::move(*pager_), {}, 0, false});
        state_->settle();
    }
    return iterator(state_);
}

// ---- blob_reader: construction -----------------------------------------------------------

AZMI_DECL blob_reader::blob_reader(blob_endpoint endpoint, storage_auth auth, std::shared_ptr<transport> transport,
                                   blob_reader_options options) {
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

AZMI_DECL result<blob_reader> blob_reader::try_from_connection_string(std::string_view connection,
                                                                      std::shared_ptr<transport> transport,
                                                                      blob_reader_options options) {
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

AZMI_DECL blob_reader blob_reader::from_connection_string(std::string_view connection,
                                                          std::shared_ptr<transport> transport,
                                                          blob_reader_options options) {
    return try_from_connection_string(connection, std::move(transport), std::move(options)).value();
}

AZMI_DECL const blob_endpoint& blob_reader::endpoint() const noexcept { return pipeline_->endpoint(); }
AZMI_DECL const storage_auth& blob_reader::auth() const noexcept { return pipeline_->auth(); }

// ---- blob_reader: reads ------------------------------------------------------------------

AZMI_DECL result<std::string> blob_reader::try_read_to_string(std::string_view container, std::string_view blob,
                                                              const download_options& options) const {
    std::string out;
    detail::container_buffer<std::string> buffer(out);
    auto r = read_to_growable(container, blob, options, buffer);
    if (!r) return std::move(r).error();
    return out;
}

AZMI_DECL std::string blob_reader::read_to_string(std::string_view container, std::string_view blob,
                                                  const download_options& options) const {
    return try_read_to_string(container, blob, options).value();
}

AZMI_DECL result<std::string> blob_reader::try_read_range(std::string_view container, std::string_view blob,
                                                          std::uint64_t offset, std::optional<std::uint64_t> length,
                                                          download_options options) const {
    options.range = byte_range{offset, length};
    return try_read_to_string(container, blob, options);
}

AZMI_DECL std::string blob_reader::read_range(std::string_view container, std::string_view blob, std::uint64_t offset,
                                              std::optional<std::uint64_t> length, download_options options) const {
    return try_read_range(container, blob, offset, length, std::move(options)).value();
}

AZMI_DECL result<void> blob_reader::read_to_growable(std::string_view container, std::string_view blob,
                                                     const download_options& options, detail::growable_buffer& out) const {
    detail::container_target target(out);
    auto r = run(container, blob, options, target);
    if (!r) return std::move(r).error();
    return {};
}

AZMI_DECL result<std::size_t> blob_reader::read_to_buffer(std::string_view container, std::string_view blob,
                                                          void* data, std::size_t capacity,
                                                          const download_options& options) const {
    if (data == nullptr && capacity > 0) return error(errc::invalid_argument, "read_into was given a null buffer");
    detail::buffer_target target(data, capacity);
    auto r = run(container, blob, options, target);
    if (!r) return std::move(r).error();
    return target.size();
}

AZMI_DECL result<blob_properties> blob_reader::download_file(std::string_view container, std::string_view blob,
                                                             const std::string& path,
                                                             const download_options& options) const {
    detail::file_target target(std::filesystem::path(path), options.overwrite);
    return run(container, blob, options, target);
}

AZMI_DECL result<blob_properties> blob_reader::try_read_to_sink(std::string_view container, std::string_view blob,
                                                                std::function<bool(std::string_view)> sink,
                                                                const download_options& options) const {
    if (!sink) return error(errc::invalid_argument, "read_to_sink was given an empty function");
    detail::sink_target target(std::move(sink));
    return run(container, blob, options, target);
}

AZMI_DECL result<blob_properties> blob_reader::try_read_to_sink(std::string_view container, std::string_view blob,
                                                                body_sink& sink, const download_options& options) const {
    return try_read_to_sink(container, blob, [&sink](std::string_view data) { return sink.write(data); }, options);
}

AZMI_DECL blob_properties blob_reader::read_to_sink(std::string_view container, std::string_view blob,
                                                    std::function<bool(std::string_view)> sink,
                                                    const download_options& options) const {
    return try_read_to_sink(container, blob, std::move(sink), options).value();
}

AZMI_DECL blob_properties blob_reader::read_to_sink(std::string_view container, std::string_view blob, body_sink& sink,
                                                    const download_options& options) const {
    return try_read_to_sink(container, blob, sink, options).value();
}

// ---- blob_reader: properties and listing -------------------------------------------------

AZMI_DECL result<blob_properties> blob_reader::try_get_properties(std::string_view container,
                                                                  std::string_view blob) const {
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

AZMI_DECL blob_properties blob_reader::get_properties(std::string_view container, std::string_view blob) const {
    return try_get_properties(container, blob).value();
}

AZMI_DECL result<bool> blob_reader::try_exists(std::string_view container, std::string_view blob) const {
    auto props = try_get_properties(container, blob);
    if (props) return true;
    const errc code = props.error().code;
    if (code == errc::blob_not_found || code == errc::container_not_found) return false;
    return std::move(props).error();
}

AZMI_DECL bool blob_reader::exists(std::string_view container, std::string_view blob) const {
    return try_exists(container, blob).value();
}

AZMI_DECL result<list_blobs_pager> blob_reader::try_list_blobs(std::string_view container, list_options options) const {
    if (config_error_) return *config_error_;
    auto url = pipeline_->endpoint().try_container_url(container);
    if (!url) return std::move(url).error();
    return list_blobs_pager(pipeline_, std::move(*url), "List Blobs in container '" + std::string(container) + "'",
                            std::move(options));
}

AZMI_DECL list_blobs_pager blob_reader::list_blobs(std::string_view container, list_options options) const {
    return try_list_blobs(container, std::move(options)).value();
}

AZMI_DECL blob_item_range blob_reader::all_blobs(std::string_view container, list_options options) const {
    return blob_item_range(try_list_blobs(container, std::move(options)));
}

// ---- blob_reader: helpers ----------------------------------------------------------------

AZMI_DECL bool blob_reader::valid_api_version(const std::string& v) {
    if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9')) return false;
    return true;
}

AZMI_DECL std::string blob_reader::describe(std::string_view container, std::string_view blob) {
    return "blob '" + std::string(container) + "/" + detail::printable_name(blob, 200) + "'";
}

AZMI_DECL result<blob_properties> blob_reader::run(std::string_view container, std::string_view blob,
                                                   const download_options& options,
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

AZMI_END_NAMESPACE

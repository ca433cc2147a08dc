// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Reading the Blob service's XML: List Blobs pages (REST-SPEC §1.6) and `<Error>` bodies
/// (§1.7). This is the ONLY azmi header that includes pugixml.
///
/// pugixml parses into one arena per document and decodes entities as it goes, so a 5000-entry
/// List Blobs page costs one buffer copy plus the strings that end up in `list_blobs_page`.

#include <azmi/blob_types.hpp>
#include <azmi/error.hpp>
#include <azmi/url.hpp>  // percent_decode
#include <azmi/version.hpp>

#include <pugixml.hpp>

#include <charconv>     // from_chars
#include <cstddef>      // size_t
#include <cstdint>      // uint64_t
#include <cstring>      // strcmp, strlen
#include <optional>     // optional, nullopt
#include <string>       // string, to_string
#include <string_view>  // string_view
#include <system_error>  // errc (from_chars)
#include <utility>      // move

AZMI_BEGIN_NAMESPACE
namespace detail {

/// The fields of a Blob service `<Error>` document that a client acts on or reports.
struct storage_error_body {
    std::string code;                   ///< `<Code>`, e.g. "BlobNotFound"
    std::string message;                ///< `<Message>`, including the service's RequestId/Time lines
    std::string authentication_detail;  ///< `<AuthenticationErrorDetail>`, on 401/403; else empty
    std::string header_name;            ///< `<HeaderName>` of an InvalidHeaderValue error; else empty
};

/// The text content of `node`: its PCDATA and CDATA children joined (usually exactly one).
inline std::string xml_text(pugi::xml_node node) {
    pugi::xml_node child = node.first_child();
    if (!child) return {};
    if (!child.next_sibling() && (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata))
        return child.value();
    std::string out;
    for (; child; child = child.next_sibling())
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out += child.value();
    return out;
}

inline pugi::xml_parse_result load_xml(pugi::xml_document& doc, std::string_view xml) {
    // parse_ws_pcdata_single keeps a name made only of spaces (`<Name> </Name>`) without
    // creating nodes for the indentation between elements.
    return doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                           pugi::encoding_auto);
}

/// Reads an `<Error><Code>…</Code><Message>…</Message>…</Error>` body. `nullopt` when `xml` is
/// not XML, has another root element or lacks `<Code>`. Never throws.
inline std::optional<storage_error_body> parse_storage_error(std::string_view xml) noexcept {
    if (xml.empty()) return std::nullopt;
    try {
        pugi::xml_document doc;
        if (!load_xml(doc, xml)) return std::nullopt;
        const pugi::xml_node root = doc.child("Error");
        const pugi::xml_node code = root.child("Code");
        if (!root || !code) return std::nullopt;
        storage_error_body out;
        out.code = xml_text(code);
        out.message = xml_text(root.child("Message"));
        out.authentication_detail = xml_text(root.child("AuthenticationErrorDetail"));
        out.header_name = xml_text(root.child("HeaderName"));
        return out;
    } catch (...) {  // only std::bad_alloc can get here; "not parsed" is the honest answer
        return std::nullopt;
    }
}

/// `"0x8DC…"` (quotes included) from a List Blobs `<Etag>`, which has none, so it compares
/// equal to the `ETag` header and can be sent in `If-Match` as is.
inline std::string quoted_etag(std::string etag) {
    if (etag.empty() || (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"')) return etag;
    etag.insert(etag.begin(), '"');
    etag.push_back('"');
    return etag;
}

inline bool xml_name_is(pugi::xml_node node, const char* name) noexcept { return std::strcmp(node.name(), name) == 0; }

/// Fills `item` from one `<Blob>` element; `index` numbers it in errors.
inline result<void> parse_list_blobs_item(pugi::xml_node blob, blob_item& item, std::size_t index) {
    for (pugi::xml_node field = blob.first_child(); field; field = field.next_sibling()) {
        if (xml_name_is(field, "Name")) {
            item.name = xml_text(field);
            if (field.attribute("Encoded").as_bool()) {
                auto decoded = percent_decode(item.name);
                if (!decoded)
                    return error(errc::malformed_response, "List Blobs: blob " + std::to_string(index) +
                                                               " has Encoded=\"true\" but its name is not valid "
                                                               "percent-encoding (" + decoded.error().message + ")");
                item.name = std::move(*decoded);
            }
        } else if (xml_name_is(field, "Properties")) {
            blob_properties& p = item.properties;
            for (pugi::xml_node prop = field.first_child(); prop; prop = prop.next_sibling()) {
                const char* name = prop.name();
                if (std::strcmp(name, "Content-Length") == 0) {
                    const char* text = prop.child_value();
                    const char* end = text + std::strlen(text);
                    std::uint64_t size = 0;
                    const auto parsed = std::from_chars(text, end, size);
                    if (text == end || parsed.ec != std::errc() || parsed.ptr != end)
                        return error(errc::malformed_response, "List Blobs: blob " + std::to_string(index) +
                                                                   " has an invalid Content-Length");
                    p.size = size;
                } else if (std::strcmp(name, "Etag") == 0) {
                    p.etag = quoted_etag(xml_text(prop));
                } else if (std::strcmp(name, "Last-Modified") == 0) {
                    p.last_modified = xml_text(prop);
                } else if (std::strcmp(name, "Content-Type") == 0) {
                    p.content_type = xml_text(prop);
                } else if (std::strcmp(name, "Content-MD5") == 0) {
                    p.content_md5 = xml_text(prop);
                } else if (std::strcmp(name, "Content-Encoding") == 0) {
                    p.content_encoding = xml_text(prop);
                } else if (std::strcmp(name, "BlobType") == 0) {
                    p.blob_type = xml_text(prop);
                }
            }
        } else if (xml_name_is(field, "Metadata")) {
            for (pugi::xml_node entry = field.first_child(); entry; entry = entry.next_sibling())
                if (entry.type() == pugi::node_element) item.properties.metadata[entry.name()] = xml_text(entry);
        }
    }
    if (item.name.empty())
        return error(errc::malformed_response, "List Blobs: blob " + std::to_string(index) + " has no <Name>");
    return {};
}

/// Parses one List Blobs response page (REST-SPEC §1.6): `<Blob>` entries (name, the
/// properties in `blob_properties`, `<Metadata>` when requested), `<BlobPrefix>` names (with a
/// delimiter) and `<NextMarker>` (empty on the last page). Names are entity-decoded, and
/// percent-decoded when marked `Encoded="true"`; ETags get the quotes the `ETag` header has.
///
/// Errors: `errc::malformed_response` for XML that does not parse (pugixml's description and
/// the byte offset), a missing `<EnumerationResults>` root, or an unusable entry.
inline result<list_blobs_page> parse_list_blobs(std::string_view xml) {
    if (xml.empty()) return error(errc::malformed_response, "List Blobs response body is empty");
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = load_xml(doc, xml);
    if (!parsed)
        return error(errc::malformed_response, std::string("List Blobs response is not well-formed XML: ") +
                                                   parsed.description() + " at offset " +
                                                   std::to_string(parsed.offset));
    const pugi::xml_node root = doc.child("EnumerationResults");
    if (!root) {
        std::string found = doc.document_element().name();
        if (found.size() > 64) found.resize(64);
        return error(errc::malformed_response,
                     "List Blobs response has no <EnumerationResults> root element (found <" + found + ">)");
    }

    list_blobs_page page;
    const pugi::xml_node blobs = root.child("Blobs");
    std::size_t blob_count = 0;
    std::size_t prefix_count = 0;
    for (pugi::xml_node node = blobs.first_child(); node; node = node.next_sibling()) {
        if (xml_name_is(node, "Blob")) ++blob_count;
        else if (xml_name_is(node, "BlobPrefix")) ++prefix_count;
    }
    page.blobs.reserve(blob_count);
    page.prefixes.reserve(prefix_count);

    for (pugi::xml_node node = blobs.first_child(); node; node = node.next_sibling()) {
        if (xml_name_is(node, "Blob")) {
            page.blobs.emplace_back();
            auto ok = parse_list_blobs_item(node, page.blobs.back(), page.blobs.size());
            if (!ok) return std::move(ok).error();
        } else if (xml_name_is(node, "BlobPrefix")) {
            const pugi::xml_node name = node.child("Name");
            std::string prefix = xml_text(name);
            if (name.attribute("Encoded").as_bool()) {
                auto decoded = percent_decode(prefix);
                if (!decoded)
                    return error(errc::malformed_response,
                                 "List Blobs: a BlobPrefix has Encoded=\"true\" but is not valid percent-encoding");
                prefix = std::move(*decoded);
            }
            page.prefixes.push_back(std::move(prefix));
        }
    }
    // Markers are opaque tokens without spaces; stray whitespace would make the caller loop.
    std::string marker = xml_text(root.child("NextMarker"));
    const auto first = marker.find_first_not_of(" \t\r\n");
    const auto last = marker.find_last_not_of(" \t\r\n");
    page.next_marker = first == std::string::npos ? std::string() : marker.substr(first, last - first + 1);
    return page;
}

}  // namespace detail
AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/detail/xml.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <cstddef>  // size_t
#include <string>   // string, to_string

using azmi::detail::parse_list_blobs;
using azmi::detail::parse_storage_error;

TEST_CASE("detail_xml: the REST-SPEC 1.6 List Blobs example") {
    const std::string xml = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1:10000/devstoreaccount1" ContainerName="mycontainer">
  <Prefix>dir/</Prefix><Marker/><MaxResults>2</MaxResults><Delimiter>/</Delimiter>
  <Blobs>
    <BlobPrefix><Name>dir/sub/</Name></BlobPrefix>
    <Blob><Name>dir/file-001.txt</Name><Properties><Creation-Time>…</Creation-Time><Last-Modified>Tue, 24 Nov 2026 16:16:58 GMT</Last-Modified>
      <Etag>0x1E166591705B3B0</Etag><Content-Length>1</Content-Length><Content-Type>application/octet-stream</Content-Type>
      <Content-MD5>xMpCOKC5I4INzFCab3WEmw==</Content-MD5><BlobType>BlockBlob</BlobType>…</Properties></Blob>
  </Blobs>
  <NextMarker>dir/file-002.txt</NextMarker>   <!-- Azure: opaque token, e.g. 2!104!MDAw…; Azurite: the last name -->
</EnumerationResults>)";
    const auto page = parse_list_blobs(xml).value();
    REQUIRE(page.prefixes.size() == 1);
    CHECK(page.prefixes[0] == "dir/sub/");
    REQUIRE(page.blobs.size() == 1);
    const auto& blob = page.blobs[0];
    CHECK(blob.name == "dir/file-001.txt");
    CHECK(blob.properties.size == 1);
    CHECK(blob.properties.etag == "\"0x1E166591705B3B0\"");  // quoted, like the ETag header
    CHECK(blob.properties.last_modified == "Tue, 24 Nov 2026 16:16:58 GMT");
    CHECK(blob.properties.content_type == "application/octet-stream");
    CHECK(blob.properties.content_md5 == "xMpCOKC5I4INzFCab3WEmw==");
    CHECK(blob.properties.blob_type == "BlockBlob");
    CHECK(blob.properties.content_encoding.empty());
    CHECK(blob.properties.metadata.empty());
    CHECK(page.next_marker == "dir/file-002.txt");
}

TEST_CASE("detail_xml: Encoded names are percent-decoded, entities are decoded") {
    const std::string xml = R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ContainerName="c"><Blobs>
  <Blob><Name Encoded="true">a%01b%E2%82%AC.txt</Name><Properties><Content-Length>7</Content-Length></Properties></Blob>
  <Blob><Name Encoded="false">50%25 off</Name><Properties/></Blob>
  <Blob><Name>Tom &amp; Jerry &lt;1&gt; &quot;q&quot; &#233;</Name><Properties/></Blob>
  <Blob><Name><![CDATA[cdata & name]]></Name><Properties/></Blob>
  <Blob><Name> </Name><Properties/></Blob>
  <BlobPrefix><Name Encoded="true">dir%0A/</Name></BlobPrefix>
</Blobs><NextMarker/></EnumerationResults>)";
    const auto page = parse_list_blobs(xml).value();
    REQUIRE(page.blobs.size() == 5);
    CHECK(page.blobs[0].name == "a\x01" "b\xE2\x82\xAC.txt");
    CHECK(page.blobs[0].properties.size == 7);
    CHECK(page.blobs[1].name == "50%25 off");  // not marked Encoded: kept as is
    CHECK(page.blobs[2].name == "Tom & Jerry <1> \"q\" \xC3\xA9");
    CHECK(page.blobs[3].name == "cdata & name");
    CHECK(page.blobs[4].name == " ");
    REQUIRE(page.prefixes.size() == 1);
    CHECK(page.prefixes[0] == "dir\n/");
    CHECK(page.next_marker.empty());
}

TEST_CASE("detail_xml: ETags keep existing quotes; metadata, encoding and opaque markers are read") {
    const std::string xml = R"(<EnumerationResults><Blobs>
  <Blob><Name>m.bin</Name>
    <Properties><Etag>"0x8DC15A1B2C3D4E5"</Etag><Content-Length>18446744073709551615</Content-Length>
      <Content-Encoding>gzip</Content-Encoding><BlobType>AppendBlob</BlobType><Unknown-Field>x</Unknown-Field></Properties>
    <Metadata><owner>team a</owner><Project>azmi</Project></Metadata>
  </Blob>
</Blobs><NextMarker>2!104!MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-</NextMarker></EnumerationResults>)";
    const auto page = parse_list_blobs(xml).value();
    REQUIRE(page.blobs.size() == 1);
    const auto& p = page.blobs[0].properties;
    CHECK(p.etag == "\"0x8DC15A1B2C3D4E5\"");
    CHECK(p.size == 18446744073709551615ULL);
    CHECK(p.content_encoding == "gzip");
    CHECK(p.blob_type == "AppendBlob");
    REQUIRE(p.metadata.size() == 2);
    CHECK(p.metadata.at("owner") == "team a");
    CHECK(p.metadata.at("Project") == "azmi");
    CHECK(page.next_marker == "2!104!MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-");
}

TEST_CASE("detail_xml: delimiter listings keep prefixes and blobs apart, in order") {
    const std::string xml = R"(<EnumerationResults><Delimiter>/</Delimiter><Blobs>
  <BlobPrefix><Name>a/</Name></BlobPrefix><Blob><Name>b.txt</Name><Properties/></Blob>
  <BlobPrefix><Name>c/</Name></BlobPrefix></Blobs><NextMarker>d</NextMarker></EnumerationResults>)";
    const auto page = parse_list_blobs(xml).value();
    REQUIRE(page.prefixes.size() == 2);
    CHECK(page.prefixes[0] == "a/");
    CHECK(page.prefixes[1] == "c/");
    REQUIRE(page.blobs.size() == 1);
    CHECK(page.blobs[0].name == "b.txt");
    CHECK(page.next_marker == "d");
}

TEST_CASE("detail_xml: empty pages and last pages") {
    SUBCASE("empty container") {
        const auto page =
            parse_list_blobs(R"(<?xml version="1.0"?><EnumerationResults><Blobs/><NextMarker/></EnumerationResults>)")
                .value();
        CHECK(page.blobs.empty());
        CHECK(page.prefixes.empty());
        CHECK(page.next_marker.empty());
    }
    SUBCASE("no Blobs element at all") {
        const auto page = parse_list_blobs("<EnumerationResults ContainerName=\"c\"></EnumerationResults>").value();
        CHECK(page.blobs.empty());
        CHECK(page.next_marker.empty());
    }
    SUBCASE("last page without NextMarker") {
        const auto page =
            parse_list_blobs("<EnumerationResults><Blobs><Blob><Name>x</Name></Blob></Blobs></EnumerationResults>")
                .value();
        CHECK(page.blobs.size() == 1);
        CHECK(page.next_marker.empty());
    }
    SUBCASE("whitespace-only NextMarker counts as none") {
        CHECK(parse_list_blobs("<EnumerationResults><NextMarker>\n  </NextMarker></EnumerationResults>")
                  .value()
                  .next_marker.empty());
    }
}

TEST_CASE("detail_xml: a full 5000-entry page") {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><EnumerationResults><MaxResults>5000</MaxResults><Blobs>";
    for (int i = 0; i < 5000; ++i) {
        xml += "<Blob><Name>dir/file-" + std::to_string(i) + ".bin</Name><Properties><Last-Modified>Tue, 24 Nov 2026 "
               "16:16:58 GMT</Last-Modified><Etag>0x1E16659170" + std::to_string(10000 + i) +
               "</Etag><Content-Length>" + std::to_string(i * 3) +
               "</Content-Length><Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType>"
               "</Properties></Blob>";
    }
    xml += "</Blobs><NextMarker>next</NextMarker></EnumerationResults>";
    const auto page = parse_list_blobs(xml).value();
    REQUIRE(page.blobs.size() == 5000);
    CHECK(page.blobs[0].name == "dir/file-0.bin");
    CHECK(page.blobs[4999].name == "dir/file-4999.bin");
    CHECK(page.blobs[4999].properties.size == 4999U * 3U);
    CHECK(page.blobs[1234].properties.etag == "\"0x1E1665917011234\"");
    CHECK(page.next_marker == "next");
}

TEST_CASE("detail_xml: malformed XML and wrong documents are malformed_response with a position") {
    SUBCASE("unclosed tag") {
        auto r = parse_list_blobs("<EnumerationResults><Blobs><Blob><Name>x</Name></Blobs></EnumerationResults>");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::malformed_response);
        CHECK(r.error().message.find("offset") != std::string::npos);
    }
    SUBCASE("truncated body") {
        auto r = parse_list_blobs("<EnumerationResults><Blobs><Blob><Na");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::malformed_response);
    }
    SUBCASE("not XML") {
        CHECK(parse_list_blobs("{\"json\": true}").error().code == azmi::errc::malformed_response);
        CHECK(parse_list_blobs("").error().code == azmi::errc::malformed_response);
    }
    SUBCASE("an error document instead of a listing") {
        auto r = parse_list_blobs("<Error><Code>ContainerNotFound</Code></Error>");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::malformed_response);
        CHECK(r.error().message.find("EnumerationResults") != std::string::npos);
    }
    SUBCASE("bad Content-Length") {
        for (const char* length : {"-1", "12x", "", "99999999999999999999"}) {
            CAPTURE(length);
            auto r = parse_list_blobs(std::string("<EnumerationResults><Blobs><Blob><Name>x</Name><Properties>"
                                                  "<Content-Length>") +
                                      length + "</Content-Length></Properties></Blob></Blobs></EnumerationResults>");
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error().code == azmi::errc::malformed_response);
        }
    }
    SUBCASE("bad percent-encoding in an Encoded name") {
        auto r = parse_list_blobs(
            "<EnumerationResults><Blobs><Blob><Name Encoded=\"true\">bad%zz</Name></Blob></Blobs></EnumerationResults>");
        CHECK(r.error().code == azmi::errc::malformed_response);
    }
    SUBCASE("blob without a name") {
        CHECK(parse_list_blobs("<EnumerationResults><Blobs><Blob><Properties/></Blob></Blobs></EnumerationResults>")
                  .error()
                  .code == azmi::errc::malformed_response);
    }
}

TEST_CASE("detail_xml: storage error bodies") {
    SUBCASE("BlobNotFound") {
        const auto e = parse_storage_error(
            "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>BlobNotFound</Code><Message>The specified "
            "blob does not exist.\nRequestId:1b2c\nTime:2024-01-15T10:00:00.0000000Z</Message></Error>");
        REQUIRE(e.has_value());
        CHECK(e->code == "BlobNotFound");
        CHECK(e->message == "The specified blob does not exist.\nRequestId:1b2c\nTime:2024-01-15T10:00:00.0000000Z");
        CHECK(e->authentication_detail.empty());
    }
    SUBCASE("AuthenticationFailed with AuthenticationErrorDetail") {
        const auto e = parse_storage_error(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed "
            "to authenticate the request.</Message><AuthenticationErrorDetail>Authentication scheme Bearer is not "
            "supported in this version.</AuthenticationErrorDetail></Error>");
        REQUIRE(e.has_value());
        CHECK(e->code == "AuthenticationFailed");
        CHECK(e->authentication_detail == "Authentication scheme Bearer is not supported in this version.");
    }
    SUBCASE("InvalidHeaderValue names the header; entities decoded") {
        const auto e = parse_storage_error(
            "<Error><Code>InvalidHeaderValue</Code><Message>value &amp; more</Message>"
            "<HeaderName>x-ms-version</HeaderName><HeaderValue>2099-01-01</HeaderValue></Error>");
        REQUIRE(e.has_value());
        CHECK(e->header_name == "x-ms-version");
        CHECK(e->message == "value & more");
    }
    SUBCASE("not an error body") {
        CHECK_FALSE(parse_storage_error("").has_value());
        CHECK_FALSE(parse_storage_error("<html><body>502 Bad Gateway</body></html>").has_value());
        CHECK_FALSE(parse_storage_error("<Error><Message>no code</Message></Error>").has_value());
        CHECK_FALSE(parse_storage_error("<Error><Code>Trunc").has_value());
        CHECK_FALSE(parse_storage_error("{\"error\":\"x\"}").has_value());
    }
}

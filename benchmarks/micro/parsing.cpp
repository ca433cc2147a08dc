// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// Parsing what the services send back:
//  - parse_token_response: an Azure ML token answer (about 1.3 KB, a realistic JWT inside).
//  - parse_list_blobs_5000: a full 5000-entry List Blobs page (the service's maximum) with the
//    properties Azure sends for each blob; bytes_per_second is the XML consumed.

#include "bench_support.hpp"

#include <azmi/detail/json.hpp>
#include <azmi/detail/xml.hpp>

#include <benchmark/benchmark.h>

#include <chrono>   // system_clock
#include <cstdint>  // int64_t
#include <cstdio>   // snprintf
#include <string>   // string

namespace {

void parse_token_response(benchmark::State& state) {
    const std::string body = azmi_bench::day_long_token_response();
    const auto request_time = std::chrono::system_clock::now();
    for (auto _ : state) {
        auto parsed = azmi::detail::parse_token_response(body, request_time);
        if (!parsed) {
            state.SkipWithError("the token response did not parse");
            break;
        }
        benchmark::DoNotOptimize(parsed);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(parse_token_response);

/// A List Blobs page as Azure sends it for version 2021-12-02: every property element present,
/// most of them empty, names under a few "directories".
std::string list_blobs_page_xml(int entries) {
    std::string xml =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults "
        "ServiceEndpoint=\"https://myaccount.blob.core.windows.net/\" ContainerName=\"models\">"
        "<MaxResults>5000</MaxResults><Blobs>";
    char entry[1536];
    for (int i = 0; i < entries; ++i) {
        const int written = std::snprintf(
            entry, sizeof entry,
            "<Blob><Name>checkpoints/run-%03d/shard-%05d-of-05000.safetensors</Name><Properties>"
            "<Creation-Time>Tue, 24 Nov 2026 16:16:58 GMT</Creation-Time>"
            "<Last-Modified>Tue, 24 Nov 2026 16:16:58 GMT</Last-Modified>"
            "<Etag>0x8DC0C5A%09X</Etag><Content-Length>%d</Content-Length>"
            "<Content-Type>application/octet-stream</Content-Type><Content-Encoding /><Content-Language />"
            "<Content-CRC64 /><Content-MD5>1B2M2Y8AsgTpgAmY7PhCfg==</Content-MD5><Cache-Control />"
            "<Content-Disposition /><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier>"
            "<AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus>"
            "<LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties>"
            "<OrMetadata /></Blob>",
            i % 17, i, i * 7919, 1048576 + i * 4096);
        xml.append(entry, static_cast<std::size_t>(written));
    }
    xml += "</Blobs><NextMarker>2!152!MDAwMDQ2IWNoZWNrcG9pbnRzL3J1bi0wMDAvc2hhcmQtMDUwMDAhMDAwMDI4ITk5OTktMTItMzFUMjM6NTk6NTkuOTk5OTk5OVoh</NextMarker></EnumerationResults>";
    return xml;
}

void parse_list_blobs_5000(benchmark::State& state) {
    const std::string xml = list_blobs_page_xml(5000);
    for (auto _ : state) {
        auto page = azmi::detail::parse_list_blobs(xml);
        if (!page || page->blobs.size() != 5000) {
            state.SkipWithError("the List Blobs page did not parse into 5000 entries");
            break;
        }
        benchmark::DoNotOptimize(page);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(xml.size()));
    state.counters["page_bytes"] = static_cast<double>(xml.size());
}
BENCHMARK(parse_list_blobs_5000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

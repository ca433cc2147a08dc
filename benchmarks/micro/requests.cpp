// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// Building requests, everything azmi does per storage request before bytes hit the wire:
//  - bearer_request: the storage pipeline sending a ranged GET through a transport that answers
//    at once: URL check, x-ms-version, x-ms-date, client request id, cached token, Authorization
//    header and its wipe. That is the cost of one versioned bearer request minus the network.
//  - shared_key_sign: the string-to-sign and HMAC-SHA256 of the same GET (Azurite, connection strings).

#include "bench_support.hpp"

#include <azmi/blob_endpoint.hpp>
#include <azmi/credential.hpp>
#include <azmi/detail/blob_request.hpp>
#include <azmi/detail/http_date.hpp>
#include <azmi/retry.hpp>
#include <azmi/shared_key_credential.hpp>
#include <azmi/storage_auth.hpp>
#include <azmi/testing/mock_transport.hpp>
#include <azmi/transport.hpp>

#include <benchmark/benchmark.h>

#include <chrono>  // system_clock
#include <memory>  // make_shared
#include <string>  // string

namespace {

/// Answers every request with an empty 206 and does nothing else, so the benchmark measures
/// azmi's side of a request only.
class null_transport final : public azmi::transport {
protected:
    azmi::result<azmi::http_response> do_send(const azmi::http_request& request, azmi::body_sink*) override {
        benchmark::DoNotOptimize(request.headers.size());
        azmi::http_response response;
        response.status = 206;
        return response;
    }
};

/// Azurite's well-known development key (public; REST-SPEC §3.2).
constexpr const char* dev_account_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
constexpr const char* blob_url = "https://myaccount.blob.core.windows.net/models/checkpoints/run-007/model.safetensors";

void bearer_request(benchmark::State& state) {
    auto endpoint = std::make_shared<azmi::testing::mock_transport>();
    endpoint->add_rule(azmi::testing::mock_transport::match_url("/msi/token"),
                       azmi::testing::scripted_response::reply(200, azmi_bench::day_long_token_response()));
    auto credential = std::make_shared<azmi::system_assigned_credential>(endpoint, azmi::system_assigned{},
                                                                         azmi_bench::mock_endpoint_options());
    const azmi::detail::storage_pipeline pipeline(azmi::blob_endpoint::for_account("myaccount"),
                                                  azmi::storage_auth::bearer(credential),
                                                  std::make_shared<null_transport>(), "2021-12-02",
                                                  azmi::retry_options{}, "azmi/bench");
    azmi::detail::storage_request spec;
    spec.method = azmi::http_method::get;
    spec.url = blob_url;
    spec.headers.set("x-ms-range", "bytes=0-8388607");
    spec.what = "GET blob 'models/checkpoints/run-007/model.safetensors'";
    for (auto _ : state) {
        auto sent = pipeline.send(spec);
        if (!sent) {
            state.SkipWithError("the pipeline refused the request");
            break;
        }
        benchmark::DoNotOptimize(sent);
    }
}
BENCHMARK(bearer_request);

void shared_key_sign(benchmark::State& state) {
    const auto credential = azmi::shared_key_credential::create("myaccount", dev_account_key).value();
    azmi::http_request request;
    request.method = azmi::http_method::get;
    request.url = blob_url;
    request.headers.set("x-ms-range", "bytes=0-8388607");
    request.headers.set("x-ms-version", "2021-12-02");
    request.headers.set("x-ms-date", azmi::detail::format_http_date(std::chrono::system_clock::now()));
    request.headers.set("x-ms-client-request-id", "0f8fad5b-d9cb-469f-a165-70867728950e");
    request.headers.set("User-Agent", "azmi/bench");
    for (auto _ : state) {
        auto ok = credential.sign(request);  // replaces the previous iteration's Authorization
        if (!ok) {
            state.SkipWithError("signing failed");
            break;
        }
        benchmark::DoNotOptimize(request.headers.size());
    }
}
BENCHMARK(shared_key_sign);

}  // namespace

BENCHMARK_MAIN();

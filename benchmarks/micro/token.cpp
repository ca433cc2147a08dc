// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// The token hot path: what every storage request pays before it is sent.
//  - get_token_cached: a warm credential on 1 and 8 threads (target: <= 30 ns median on one
//    thread and no more CPU per call on 8). Read `cpu_time`: with N threads Google Benchmark
//    divides the summed CPU time by the summed iterations, i.e. the cost of one call.
//  - get_token_virtual: the same call through `token_credential&`, as the blob reader makes it.
//  - token_cache_get: the cache alone, the floor under the credential.
//  - cold_cache_64_threads: 64 threads ask a fresh credential at once; the endpoint (a mock
//    answering after 1 ms) must see exactly one request. Counters report the worst count seen.

#include "bench_support.hpp"

#include <azmi/credential.hpp>
#include <azmi/testing/mock_transport.hpp>
#include <azmi/token_cache.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>  // max
#include <atomic>     // atomic
#include <chrono>     // steady_clock
#include <cstddef>    // size_t
#include <future>     // promise, shared_future
#include <memory>     // shared_ptr, unique_ptr
#include <thread>     // thread
#include <vector>     // vector

namespace {

using azmi::testing::mock_transport;
using azmi::testing::scripted_response;

/// One credential shared by every benchmark thread, warmed once (a function-local static is
/// initialised once even when the 8 benchmark threads race to it).
struct warm_credential {
    std::shared_ptr<mock_transport> endpoint = std::make_shared<mock_transport>();
    std::unique_ptr<azmi::system_assigned_credential> credential;

    warm_credential() {
        endpoint->add_rule(mock_transport::match_url("/msi/token"),
                           scripted_response::reply(200, azmi_bench::day_long_token_response()));
        credential = std::make_unique<azmi::system_assigned_credential>(endpoint, azmi::system_assigned{},
                                                                        azmi_bench::mock_endpoint_options());
        credential->get_token(azmi::storage_scope);
    }
};

warm_credential& warm() {
    static warm_credential instance;
    return instance;
}

void get_token_cached(benchmark::State& state) {
    azmi::system_assigned_credential& credential = *warm().credential;
    for (auto _ : state) {
        azmi::access_token token = credential.get_token(azmi::storage_scope);
        benchmark::DoNotOptimize(token);
    }
    state.counters["endpoint_requests"] =
        benchmark::Counter(static_cast<double>(warm().endpoint->request_count()), benchmark::Counter::kAvgThreads);
}
BENCHMARK(get_token_cached)->Threads(1)->Threads(8);

void get_token_virtual(benchmark::State& state) {
    azmi::token_credential* credential = warm().credential.get();
    benchmark::DoNotOptimize(credential);  // keep the compiler from seeing the dynamic type
    for (auto _ : state) {
        auto token = credential->try_get_token(azmi::storage_scope);
        benchmark::DoNotOptimize(token);
    }
}
BENCHMARK(get_token_virtual)->Threads(1)->Threads(8);

void token_cache_get(benchmark::State& state) {
    static azmi::token_cache cache;
    static const azmi::access_token stored(azmi_bench::realistic_jwt(),
                                           std::chrono::system_clock::now() + std::chrono::hours(24));
    auto fetch = [] { return azmi::result<azmi::access_token>(stored); };
    for (auto _ : state) {
        auto token = cache.get("system", "https://storage.azure.com", fetch);
        benchmark::DoNotOptimize(token);
    }
}
BENCHMARK(token_cache_get)->Threads(1)->Threads(8);

void cold_cache_64_threads(benchmark::State& state) {
    constexpr int threads = 64;
    const std::string body = azmi_bench::day_long_token_response();
    std::size_t worst_requests = 0;
    std::size_t failed_rounds = 0;
    for (auto _ : state) {
        auto endpoint = std::make_shared<mock_transport>();
        endpoint->add_rule(mock_transport::match_url("/msi/token"),
                           scripted_response::reply(200, body).after(std::chrono::milliseconds(1)));
        azmi::system_assigned_credential credential(endpoint, azmi::system_assigned{},
                                                    azmi_bench::mock_endpoint_options());
        std::promise<void> go;
        const std::shared_future<void> start = go.get_future().share();
        std::atomic<int> served{0};
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (int i = 0; i < threads; ++i) {
            pool.emplace_back([&] {
                start.wait();
                auto token = credential.try_get_token(azmi::storage_scope);
                if (token && !token->empty()) served.fetch_add(1, std::memory_order_relaxed);
            });
        }
        const auto begin = std::chrono::steady_clock::now();
        go.set_value();
        for (auto& t : pool) t.join();
        const auto end = std::chrono::steady_clock::now();
        state.SetIterationTime(std::chrono::duration<double>(end - begin).count());
        worst_requests = std::max(worst_requests, endpoint->request_count());
        if (served.load() != threads) ++failed_rounds;
    }
    state.counters["endpoint_requests_max"] = static_cast<double>(worst_requests);
    state.counters["rounds_with_failures"] = static_cast<double>(failed_rounds);
}
BENCHMARK(cold_cache_64_threads)->UseManualTime()->Iterations(30)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    // Start (and end) one thread before measuring anything. Until a process has started a thread,
    // glibc's __libc_single_threaded lets libstdc++ update shared_ptr counts without atomic
    // instructions, which halves the 1-thread numbers compared with any real program (curl_transport
    // and parallel downloads start threads) and with the 8-thread runs of the same code.
    std::thread([] {}).join();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

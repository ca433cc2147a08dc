// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// azmi_bench_download: the azmi contender of the macro benchmarks (benchmarks/run_macro.py). It
// does what a scoring script does: a curl transport, the managed identity credential from the
// environment, a blob_reader, one read. Prints one JSON line, like the peers in benchmarks/peers/.
//
//   azmi_bench_download --mode memory|file|transport [--concurrency N] [--chunk-size BYTES] [--cold]
//                       --container C --blob B [--output PATH]
//
// Environment: AZMI_BLOB_ENDPOINT (path-style Azurite URL), STORAGE_ACCOUNT_NAME, AZMI_CA_FILE,
// MSI_ENDPOINT, MSI_SECRET, DEFAULT_IDENTITY_CLIENT_ID (all written by scripts/servers start).
//
// memory: blob_reader::read_to_string;  file: blob_reader::download_to_file. --concurrency and
// --chunk-size map to download_options (defaults: the library's). Without --cold the token is
// fetched before the timed read, as the peers do; with --cold the read fetches it.
// transport (a diagnostic, not a way to read blobs): one plain GET of the whole blob straight
// through curl_transport into a sink that counts and drops the bytes, what curl -o /dev/null does;
// it separates the transport's speed from the blob reader's.

#include <azmi/azmi.hpp>
#include <azmi/blob_reader.hpp>
#include <azmi/transport/curl.hpp>

#include <chrono>     // steady_clock
#include <cstdint>    // uint64_t
#include <cstdio>     // printf, fprintf
#include <cstdlib>    // getenv, strtoull
#include <cstring>    // strcmp
#include <memory>     // make_shared
#include <string>     // string, to_string
#include <string_view>  // string_view

namespace {

struct arguments {
    std::string mode;
    unsigned concurrency = 0;  // 0: the library default
    std::uint64_t chunk_size = 0;
    bool cold = false;
    bool verify = true;  // --no-verify: skip the stored Content-MD5 check, as the peers do
    std::string container;
    std::string blob;
    std::string output;
};

int usage() {
    std::fprintf(stderr,
                 "usage: azmi_bench_download --mode memory|file [--concurrency N] [--chunk-size BYTES] [--cold] [--no-verify]\n"
                 "                           --container C --blob B [--output PATH]\n");
    return 2;
}

bool parse(int argc, char** argv, arguments& args) {
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--no-verify") {
            args.verify = false;
            continue;
        }
        if (flag == "--cold") {
            args.cold = true;
            continue;
        }
        if (i + 1 >= argc) return false;
        const char* value = argv[++i];
        if (flag == "--mode") args.mode = value;
        else if (flag == "--concurrency") args.concurrency = static_cast<unsigned>(std::strtoul(value, nullptr, 10));
        else if (flag == "--chunk-size") args.chunk_size = std::strtoull(value, nullptr, 10);
        else if (flag == "--container") args.container = value;
        else if (flag == "--blob") args.blob = value;
        else if (flag == "--output") args.output = value;
        else return false;
    }
    return (args.mode == "memory" || args.mode == "transport" || (args.mode == "file" && !args.output.empty())) &&
           !args.container.empty() && !args.blob.empty();
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

/// Counts the body and drops it.
class counting_sink final : public azmi::body_sink {
public:
    bool write(std::string_view chunk) override {
        bytes += chunk.size();
        return true;
    }
    std::uint64_t bytes = 0;
};

std::int64_t monotonic_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int main(int argc, char** argv) {
    arguments args;
    if (!parse(argc, argv, args)) return usage();

    azmi::curl_transport_options transport_options;
    transport_options.ca_file = env("AZMI_CA_FILE");
    auto http = azmi::make_curl_transport(transport_options);
    auto credential = std::make_shared<azmi::system_assigned_credential>(http);
    auto endpoint = azmi::blob_endpoint::try_from_url(env("AZMI_BLOB_ENDPOINT"), env("STORAGE_ACCOUNT_NAME"));
    if (!endpoint) {
        std::fprintf(stderr, "azmi_bench_download: AZMI_BLOB_ENDPOINT: %s\n", endpoint.error().message.c_str());
        return 1;
    }
    const azmi::blob_reader reader(std::move(*endpoint), azmi::storage_auth::bearer(credential), http);

    std::int64_t token_ns = 0;
    if (!args.cold) {
        const std::int64_t started = monotonic_ns();
        auto token = credential->try_get_token(azmi::storage_scope);
        if (!token) {
            std::fprintf(stderr, "azmi_bench_download: %s\n", token.error().message.c_str());
            return 1;
        }
        token_ns = monotonic_ns() - started;
    }

    azmi::download_options options;
    if (args.concurrency > 0) options.concurrency = args.concurrency;
    if (args.chunk_size > 0) options.chunk_size = args.chunk_size;
    options.verify_content_md5 = args.verify;

    // The last-byte timestamp is taken inside each branch, before the data goes out of scope: freeing
    // a blob-sized buffer is not part of reading it (the peers keep theirs too).
    const std::int64_t started = monotonic_ns();
    std::int64_t last_byte = 0;
    std::uint64_t bytes = 0;
    if (args.mode == "transport") {
        auto url = reader.endpoint().try_blob_url(args.container, args.blob);
        auto token = credential->try_get_token(azmi::storage_scope);
        if (!url || !token) {
            std::fprintf(stderr, "azmi_bench_download: %s\n",
                         (!url ? url.error() : token.error()).message.c_str());
            return 1;
        }
        azmi::http_request request;
        request.url = *url;
        request.headers.set("x-ms-version", std::string(azmi::default_storage_api_version));
        request.headers.set("Authorization", "Bearer " + token->token());
        counting_sink sink;
        auto response = http->send(request, sink);
        last_byte = monotonic_ns();
        if (!response || response->status != 200) {
            std::fprintf(stderr, "azmi_bench_download: the GET failed (%s)\n",
                         response ? ("HTTP " + std::to_string(response->status)).c_str()
                                  : response.error().message.c_str());
            return 1;
        }
        bytes = sink.bytes;
    } else if (args.mode == "memory") {
        auto data = reader.try_read_to_string(args.container, args.blob, options);
        last_byte = monotonic_ns();
        if (!data) {
            std::fprintf(stderr, "azmi_bench_download: %s\n", data.error().message.c_str());
            return 1;
        }
        bytes = data->size();
    } else {
        auto properties = reader.try_download_to_file(args.container, args.blob, args.output, options);
        last_byte = monotonic_ns();
        if (!properties) {
            std::fprintf(stderr, "azmi_bench_download: %s\n", properties.error().message.c_str());
            return 1;
        }
        bytes = properties->size;
    }

    std::printf("{\"bytes\": %llu, \"download_ns\": %lld, \"token_ns\": %lld, \"last_byte_mono_ns\": %lld}\n",
                static_cast<unsigned long long>(bytes), static_cast<long long>(last_byte - started),
                static_cast<long long>(token_ns), static_cast<long long>(last_byte));
    return 0;
}

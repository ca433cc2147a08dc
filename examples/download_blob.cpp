// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// download_blob: saves a blob of any size (a model, a dataset) to a file with the managed identity.
//
//   download_blob CONTAINER BLOB OUTPUT
//
// The blob is fetched as parallel ranged GETs pinned to its ETag and written straight into a
// temporary file beside OUTPUT, which is renamed to OUTPUT only once every byte has arrived. On
// any failure (or Ctrl-C) the temporary file is removed, so OUTPUT is either the whole blob or
// what it was before. A progress bar goes to stderr when stderr is a terminal.
//
// Environment as for read_blob (common/scoring_env.hpp), without STORAGE_CONTAINER_NAME.
// Exit status: 0 downloaded, 1 failed (one line on stderr), 2 bad usage or missing variables,
// 130 interrupted.

#include "common/scoring_env.hpp"

#include <unistd.h>  // isatty, STDERR_FILENO

#include <csignal>    // sigaction, SIGINT, SIGTERM, sig_atomic_t
#include <cstdint>    // uint64_t
#include <cstdio>     // fprintf, fflush, stderr
#include <exception>  // exception
#include <iostream>   // cout, cerr

namespace {

volatile std::sig_atomic_t interrupted = 0;

void on_signal(int) { interrupted = 1; }

/// Ctrl-C and SIGTERM only set a flag; the progress callback sees it and cancels the download,
/// which removes the temporary file. Dying inside the handler would leave it behind.
void cancel_on_signals() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

/// "\r[##########          ]  50%   128.0 / 256.0 MiB", redrawn in place.
void draw_progress(std::uint64_t done, std::uint64_t total) {
    constexpr int width = 30;
    const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
    const int filled = static_cast<int>(fraction * width);
    char bar[width + 1];
    for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : ' ';
    bar[width] = '\0';
    constexpr double mib = 1024.0 * 1024.0;
    std::fprintf(stderr, "\r[%s] %3d%%  %8.1f / %.1f MiB", bar, static_cast<int>(fraction * 100.0),
                 static_cast<double>(done) / mib, static_cast<double>(total) / mib);
    std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
    const bool show_progress = isatty(STDERR_FILENO) != 0;
    bool bar_drawn = false;
    try {
        if (argc != 4) throw azmi_examples::usage_error("usage: download_blob CONTAINER BLOB OUTPUT");
        azmi_examples::require_identity_and_account();
        const azmi::blob_reader reader = azmi_examples::reader_from_env();
        cancel_on_signals();

        azmi::download_options options;
        options.concurrency = 4;  // parallel ranged GETs; chunk_size 0 (automatic): about two per worker
        options.progress = [&](std::uint64_t done, std::uint64_t total) {
            if (show_progress) {
                draw_progress(done, total);
                bar_drawn = true;
            }
            return interrupted == 0;  // false cancels the download
        };

        const azmi::blob_properties blob = reader.download_to_file(argv[1], argv[2], argv[3], options);
        if (bar_drawn) std::cerr << '\n';
        std::cout << "Downloaded " << blob.size << " bytes to " << argv[3] << '\n';
        return 0;
    } catch (const azmi_examples::usage_error& e) {
        std::cerr << "download_blob: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        if (bar_drawn) std::cerr << '\n';
        if (interrupted != 0) {
            std::cerr << "download_blob: interrupted; " << argv[3] << " was not written\n";
            return 130;
        }
        std::cerr << "download_blob: " << e.what() << '\n';
        return 1;
    }
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
// End to end, storage side: blob_reader with the managed identity against Azurite over HTTPS.
// Data is seeded from C++ with the account key (azurite_admin.hpp); everything is read back with
// bearer tokens from the identity emulator. Covers names that need encoding (in paths, prefixes
// and markers), a 256 MiB parallel download, chunk-boundary sizes, a blob replaced mid-download,
// checksums, metadata, cancellation, paged listings and the typed not-found and auth errors.
#include "e2e_fixture.hpp"

#include <azmi/detail/crypto.hpp>  // sha256_hasher

#include <doctest/doctest.h>

#include <algorithm>   // sort
#include <atomic>      // atomic
#include <chrono>      // steady_clock
#include <cstdint>     // uint64_t
#include <cstdio>      // snprintf
#include <cstring>     // memcpy
#include <filesystem>  // temp_directory_path, remove, exists
#include <functional>  // function
#include <fstream>     // ifstream
#include <map>         // map
#include <memory>      // shared_ptr, make_shared
#include <mutex>       // mutex, lock_guard
#include <set>         // set
#include <string>      // string, stoull
#include <utility>     // move, pair
#include <vector>      // vector

namespace {

constexpr const char* hello = "Hello World!";

/// SplitMix64: cheap, well-mixed, and a pure function of the position, so any block of the big
/// blob can be regenerated on its own.
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// Fills `out` with the deterministic content of bytes [offset, offset + out.size()); `offset`
/// and the size are multiples of 8.
void pseudo_random_bytes(std::uint64_t offset, std::string& out) {
    for (std::size_t i = 0; i + 8 <= out.size(); i += 8) {
        const std::uint64_t v = splitmix64((offset + i) / 8);
        std::memcpy(&out[i], &v, 8);
    }
}

std::string sha256_of_file(const std::filesystem::path& path) {
    azmi::detail::sha256_hasher hasher;
    std::ifstream in(path, std::ios::binary);
    std::string buffer(1 << 20, '\0');
    while (in) {
        in.read(&buffer[0], static_cast<std::streamsize>(buffer.size()));
        hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    return hasher.final_hex();
}

/// A file path in the temp directory, removed (with any sibling temporaries) at scope end.
struct temp_path {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / azmi_test::unique_container_name("azmi-e2e-download");
    ~temp_path() {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
};

/// Forwards to another transport and records the ranged GETs the download engine sends, and
/// how many requests were in flight at once, to show the download really is parallel and pinned.
class recording_transport final : public azmi::transport {
public:
    struct ranged_get {
        std::uint64_t first = 0;
        std::uint64_t last = 0;
        bool pinned = false;  ///< carried If-Match
    };

    explicit recording_transport(std::shared_ptr<azmi::transport> inner) : inner_(std::move(inner)) {}

    /// Runs once, right after the first ranged GET was answered and before the engine sees the
    /// answer, i.e. before any later chunk is requested.
    std::function<void()> after_first_get;

    int max_in_flight() const { return max_in_flight_.load(); }
    std::vector<ranged_get> gets() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return gets_;
    }

protected:
    azmi::result<azmi::http_response> do_send(const azmi::http_request& request, azmi::body_sink* sink) override {
        if (auto range = request.headers.get("x-ms-range")) {
            ranged_get g;
            const std::string r(*range);  // "bytes=<first>-<last>"
            g.first = std::stoull(r.substr(6, r.find('-') - 6));
            g.last = std::stoull(r.substr(r.find('-') + 1));
            g.pinned = request.headers.contains("If-Match");
            std::lock_guard<std::mutex> lock(mutex_);
            gets_.push_back(g);
        }
        const int now = ++in_flight_;
        int seen = max_in_flight_.load();
        while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
        }
        auto response = sink != nullptr ? inner_->send(request, *sink) : inner_->send(request);
        --in_flight_;
        if (request.headers.contains("x-ms-range") && after_first_get) {
            auto hook = std::move(after_first_get);
            after_first_get = nullptr;
            hook();
        }
        return response;
    }

private:
    std::shared_ptr<azmi::transport> inner_;
    std::atomic<int> in_flight_{0};
    std::atomic<int> max_in_flight_{0};
    mutable std::mutex mutex_;
    std::vector<ranged_get> gets_;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("e2e blobs: names that need encoding round-trip and list under their exact names") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-names");
    const std::vector<std::string> names = {
        "with space.txt",
        "question?mark.txt",
        "hash#tag.txt",
        "percent%25literal.txt",
        "100%.txt",
        "plus+sign.txt",
        "caf\xC3\xA9.txt",                                   // café
        "\xE6\x97\xA5\xE6\x9C\xAC/\xE8\xAA\x9E.txt",          // 日本/語.txt
        "emoji \xF0\x9F\x98\x80.txt",                        // 😀
        "a/../b",
        "./x",
        "dir/./y",
        "amp&lt;<>\"'=,;:@$!*().txt",                        // XML specials in the listing
        "dir/nested/deep/file.txt",
        "long/" + std::string(1019, 'x'),                    // 1024 characters, the maximum
    };
    for (const auto& name : names) f.admin.put_blob(container.name(), name, "content of " + name);

    const auto reader = f.reader(f.system_identity());
    for (const auto& name : names) {
        CAPTURE(name);
        CHECK(reader.read_to_string(container.name(), name) == "content of " + name);
        CHECK(reader.get_properties(container.name(), name).size == ("content of " + name).size());
    }

    std::multiset<std::string> listed;
    for (const auto& blob : reader.all_blobs(container.name())) listed.insert(blob.name);
    CHECK(listed == std::multiset<std::string>(names.begin(), names.end()));

    // One blob per page: Azurite's NextMarker is the last name, so every name above also
    // travels back as a `marker` query value.
    std::multiset<std::string> paged;
    for (const auto& blob : reader.all_blobs(container.name(), {"", "", 1, false})) paged.insert(blob.name);
    CHECK(paged == listed);

    // Each full name as a `prefix` query value finds exactly that blob.
    for (const auto& name : names) {
        CAPTURE(name);
        std::vector<std::string> found;
        for (const auto& blob : reader.all_blobs(container.name(), {name, "", 0, false})) found.push_back(blob.name);
        CHECK(found == std::vector<std::string>{name});
    }
}

TEST_CASE("e2e blobs: a trailing dot survives the round trip") {
    // REST-SPEC §2.2 says to avoid names ending in '.'; Azure keeps them, and so must we.
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-dot");
    f.admin.put_blob(container.name(), "trailing.", "dot");
    const auto reader = f.reader(f.system_identity());
    CHECK(reader.read_to_string(container.name(), "trailing.") == "dot");
    std::vector<std::string> listed;
    for (const auto& blob : reader.all_blobs(container.name())) listed.push_back(blob.name);
    CHECK(listed == std::vector<std::string>{"trailing."});
}

TEST_CASE("e2e blobs: a 256 MiB blob downloads in parallel to a file, and to memory, with the same SHA-256") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-large");
    constexpr std::uint64_t size = 256ULL * 1024 * 1024;
    constexpr std::size_t block = 8 * 1024 * 1024;

    azmi::detail::sha256_hasher uploaded_hash;
    auto start = std::chrono::steady_clock::now();
    f.admin.put_blob_in_blocks(container.name(), "model/weights.bin", size, block,
                               [&](std::uint64_t offset, std::size_t, std::string& buffer) {
                                   pseudo_random_bytes(offset, buffer);
                                   uploaded_hash.update(buffer);
                               });
    const std::string expected = uploaded_hash.final_hex();
    MESSAGE("uploaded 256 MiB in " << seconds_since(start) << " s");

    // The reader sends through a recorder; the identity keeps the plain transport.
    auto recorder = std::make_shared<recording_transport>(f.http);
    const azmi::blob_reader reader(f.endpoint, azmi::storage_auth::bearer(f.system_identity()), recorder,
                                   azmi_test::fast_reader_options());
    temp_path file;
    azmi::download_options options;
    options.concurrency = 4;
    options.chunk_size = 8 * 1024 * 1024;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
        progress.emplace_back(done, total);
        return true;
    };
    start = std::chrono::steady_clock::now();
    const azmi::blob_properties props = reader.download_to_file(container.name(), "model/weights.bin", file.path, options);
    const double seconds = seconds_since(start);
    MESSAGE("downloaded 256 MiB in " << seconds << " s (" << 256.0 / seconds << " MiB/s)");

    CHECK(props.size == size);
    CHECK_FALSE(props.etag.empty());
    REQUIRE(std::filesystem::file_size(file.path) == size);
    CHECK(sha256_of_file(file.path) == expected);

    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back() == std::make_pair(size, size));
    for (std::size_t i = 1; i < progress.size(); ++i) CHECK(progress[i].first >= progress[i - 1].first);

    // Ranged GETs of at most one chunk that tile the blob exactly, all but the first pinned to
    // its ETag, several in flight at once.
    auto gets = recorder->gets();
    REQUIRE(gets.size() >= size / options.chunk_size);
    CHECK_FALSE(gets.front().pinned);
    std::sort(gets.begin(), gets.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::uint64_t next = 0;
    int unpinned = 0;
    for (const auto& g : gets) {
        CHECK(g.first == next);
        CHECK(g.last - g.first + 1 <= options.chunk_size);
        next = g.last + 1;
        unpinned += g.pinned ? 0 : 1;
    }
    CHECK(next == size);
    CHECK(unpinned == 1);
    CHECK(recorder->max_in_flight() >= 2);
    MESSAGE(gets.size() << " ranged GETs, at most " << recorder->max_in_flight() << " in flight");

    // Nothing but the destination in the directory: the temporary was renamed, not copied.
    for (const auto& entry : std::filesystem::directory_iterator(file.path.parent_path()))
        CHECK(entry.path().filename().string().find(file.path.filename().string() + ".azmi-") == std::string::npos);

    // A range from the middle matches the generator: offsets are honoured end to end.
    constexpr std::uint64_t middle = 100ULL * 1024 * 1024 + 8;
    std::string want(64, '\0');
    pseudo_random_bytes(middle, want);
    CHECK(reader.read_range(container.name(), "model/weights.bin", middle, 64) == want);

    // To memory as well, one stream and parallel: the string grows in the background while the
    // bytes arrive, and every byte lands in its place.
    for (const unsigned concurrency : {1U, 4U}) {
        CAPTURE(concurrency);
        azmi::download_options to_memory;
        to_memory.concurrency = concurrency;
        const std::string data = reader.read_to_string(container.name(), "model/weights.bin", to_memory);
        REQUIRE(data.size() == size);
        CHECK(azmi::detail::sha256_hex(data) == expected);
    }
}

TEST_CASE("e2e blobs: listing 50 blobs 7 at a time returns each exactly once") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-list");
    std::vector<std::string> flat, dir_a, dir_b;
    char name[64];
    for (int i = 0; i < 30; ++i) {
        std::snprintf(name, sizeof name, "flat-%02d.txt", i);
        flat.emplace_back(name);
    }
    for (int i = 0; i < 10; ++i) {
        std::snprintf(name, sizeof name, "dir/a/file-%02d.txt", i);
        dir_a.emplace_back(name);
        std::snprintf(name, sizeof name, "dir/b/file-%02d.txt", i);
        dir_b.emplace_back(name);
    }
    std::vector<std::string> all = flat;
    all.insert(all.end(), dir_a.begin(), dir_a.end());
    all.insert(all.end(), dir_b.begin(), dir_b.end());
    for (const auto& n : all) f.admin.put_blob(container.name(), n, n);
    std::sort(all.begin(), all.end());

    const auto reader = f.reader(f.system_identity());

    SUBCASE("pages of at most 7, following NextMarker") {
        auto pager = reader.list_blobs(container.name(), {"", "", 7, false});
        std::map<std::string, int> seen;
        int pages = 0;
        while (pager.has_more_pages()) {
            const auto page = pager.next_page();
            ++pages;
            CHECK(page.blobs.size() <= 7);
            CHECK(page.prefixes.empty());
            for (const auto& blob : page.blobs) {
                ++seen[blob.name];
                CHECK(blob.properties.size == blob.name.size());
            }
        }
        CHECK(pages >= 8);  // 50 / 7
        CHECK(seen.size() == all.size());
        for (const auto& n : all) CHECK(seen[n] == 1);
    }
    SUBCASE("all_blobs walks the same pages") {
        std::vector<std::string> names;
        for (const auto& blob : reader.all_blobs(container.name(), {"", "", 7, false})) names.push_back(blob.name);
        CHECK(names == all);  // the service lists in name order
    }
    SUBCASE("a delimiter folds dir/ into one prefix") {
        auto pager = reader.list_blobs(container.name(), {"", "/", 7, false});
        std::vector<std::string> blobs;
        std::vector<std::string> prefixes;
        while (pager.has_more_pages()) {
            const auto page = pager.next_page();
            CHECK(page.blobs.size() + page.prefixes.size() <= 7);
            for (const auto& blob : page.blobs) blobs.push_back(blob.name);
            prefixes.insert(prefixes.end(), page.prefixes.begin(), page.prefixes.end());
        }
        std::sort(blobs.begin(), blobs.end());
        CHECK(blobs == flat);
        CHECK(prefixes == std::vector<std::string>{"dir/"});
    }
    SUBCASE("a prefix and a delimiter list one level of a directory") {
        auto pager = reader.list_blobs(container.name(), {"dir/", "/", 1, false});
        std::vector<std::string> prefixes;
        int blobs = 0;
        while (pager.has_more_pages()) {
            const auto page = pager.next_page();
            blobs += static_cast<int>(page.blobs.size());
            prefixes.insert(prefixes.end(), page.prefixes.begin(), page.prefixes.end());
        }
        CHECK(blobs == 0);
        CHECK(prefixes == std::vector<std::string>{"dir/a/", "dir/b/"});
    }
    SUBCASE("a prefix alone lists everything under it") {
        std::vector<std::string> names;
        for (const auto& blob : reader.all_blobs(container.name(), {"dir/a/", "", 7, false})) names.push_back(blob.name);
        CHECK(names == dir_a);
    }
}

TEST_CASE("e2e blobs: a missing blob or container is a typed not-found error with request ids") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-errors");
    f.admin.put_blob(container.name(), "hello.txt", hello);
    const auto reader = f.reader(f.system_identity());

    auto missing = reader.try_read_to_string(container.name(), "missing.txt");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == azmi::errc::blob_not_found);
    CHECK(missing.error().status == 404);
    CHECK(missing.error().error_code == "BlobNotFound");
    CHECK_FALSE(missing.error().request_id.empty());
    CHECK_FALSE(missing.error().client_request_id.empty());
    CHECK_FALSE(missing.error().retriable());
    CHECK(missing.error().message.find("missing.txt") != std::string::npos);

    // HEAD answers have no body: the code comes from x-ms-error-code alone.
    auto head = reader.try_get_properties(container.name(), "missing.txt");
    REQUIRE_FALSE(head.has_value());
    CHECK(head.error().code == azmi::errc::blob_not_found);
    CHECK(head.error().status == 404);
    CHECK_FALSE(head.error().request_id.empty());
    CHECK_FALSE(reader.exists(container.name(), "missing.txt"));
    CHECK(reader.exists(container.name(), "hello.txt"));

    const std::string no_container = azmi_test::unique_container_name("e2e-absent");
    auto gone = reader.try_read_to_string(no_container, "hello.txt");
    REQUIRE_FALSE(gone.has_value());
    CHECK(gone.error().code == azmi::errc::container_not_found);
    CHECK(gone.error().status == 404);
    CHECK(gone.error().error_code == "ContainerNotFound");
    CHECK_FALSE(gone.error().request_id.empty());

    auto list = reader.try_list_blobs(no_container);
    REQUIRE(list.has_value());
    auto page = list->try_next_page();
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == azmi::errc::container_not_found);

    auto past_end = reader.try_read_range(container.name(), "hello.txt", 1000, 10);
    REQUIRE_FALSE(past_end.has_value());
    CHECK(past_end.error().code == azmi::errc::invalid_range);
}

TEST_CASE("e2e blobs: refused credentials are typed authorization errors with status and code") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-authz");
    f.admin.put_blob(container.name(), "hello.txt", hello);

    SUBCASE("anonymous to a private container") {
        auto read = f.reader(azmi::storage_auth::anonymous()).try_read_to_string(container.name(), "hello.txt");
        REQUIRE_FALSE(read.has_value());
        CHECK(read.error().code == azmi::errc::authorization);
        CHECK(read.error().status == 403);
        CHECK(read.error().error_code == "AuthorizationFailure");
        CHECK_FALSE(read.error().request_id.empty());
        CHECK_FALSE(read.error().retriable());
    }
    SUBCASE("Shared Key with the wrong account key") {
        // A valid base64 key of the right length that is not the account's.
        const std::string wrong_key(88 - 2, 'A');
        auto auth = azmi::storage_auth::shared_key(azmi_test::require_env("STORAGE_ACCOUNT_NAME"), wrong_key + "==");
        auto read = f.reader(auth).try_read_to_string(container.name(), "hello.txt");
        REQUIRE_FALSE(read.has_value());
        // Azure answers 403 AuthenticationFailed. Azurite --oauth basic, after its Shared Key check
        // fails, lets the bearer check complain about the scheme: 400 InvalidAuthenticationInfo.
        CHECK(read.error().code == azmi::errc::authentication);
        CHECK((read.error().status == 403 || read.error().status == 400));
        CHECK_FALSE(read.error().error_code.empty());
        CHECK(read.error().to_string().find("SharedKey devstoreaccount1:") == std::string::npos);  // no Authorization
        CHECK(read.error().to_string().find(azmi_test::require_env("AZURITE_ACCOUNT_KEY")) == std::string::npos);
    }
}

TEST_CASE("e2e blobs: sizes around the chunk boundaries download intact to every target") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-sizes");
    constexpr std::size_t chunk = 64 * 1024;
    const std::size_t sizes[] = {0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 7};
    const auto reader = f.reader(f.system_identity());
    for (const std::size_t size : sizes) {
        CAPTURE(size);
        std::string data(size, '\0');
        for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 7919) >> 3);
        const std::string name = "size-" + std::to_string(size);
        f.admin.put_blob(container.name(), name, data);

        azmi::download_options options;
        options.chunk_size = chunk;
        options.concurrency = 4;
        CHECK(reader.read_to_string(container.name(), name, options) == data);
        std::string streamed;
        reader.read_to_sink(container.name(), name, [&](std::string_view piece) {
            streamed.append(piece);
            return true;
        }, options);
        CHECK(streamed == data);
        temp_path file;
        CHECK(reader.download_to_file(container.name(), name, file.path, options).size == size);
        CHECK(sha256_of_file(file.path) == azmi::detail::sha256_hex(data));
    }
}

TEST_CASE("e2e blobs: a blob replaced during a download fails with condition_not_met and writes nothing") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-changed");
    const std::string before(1024 * 1024, 'a');
    f.admin.put_blob(container.name(), "data.bin", before);

    auto recorder = std::make_shared<recording_transport>(f.http);
    const azmi::blob_reader reader(f.endpoint, azmi::storage_auth::bearer(f.system_identity()), recorder,
                                   azmi_test::fast_reader_options());
    azmi::download_options options;
    options.chunk_size = 256 * 1024;
    temp_path file;
    // Between the first chunk and the others, someone uploads a new version: the later chunks
    // are pinned to the first one's ETag, so they must not mix two versions into one file.
    recorder->after_first_get = [&] { f.admin.put_blob(container.name(), "data.bin", std::string(1024 * 1024, 'b')); };
    auto result = reader.try_download_to_file(container.name(), "data.bin", file.path, options);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == azmi::errc::condition_not_met);
    CHECK(result.error().status == 412);
    CHECK_FALSE(result.error().retriable());
    CHECK_FALSE(std::filesystem::exists(file.path));

    // Read again, the new version comes back whole.
    CHECK(reader.read_to_string(container.name(), "data.bin", options) == std::string(1024 * 1024, 'b'));
}

TEST_CASE("e2e blobs: per-range checksums are requested and verified") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-md5");
    std::string data(5 * 1024 * 1024 + 3, '\0');
    pseudo_random_bytes(0, data);
    f.admin.put_blob(container.name(), "data.bin", data);
    azmi::download_options options;
    options.checksum = azmi::transfer_checksum::md5;
    options.chunk_size = 1024 * 1024;
    const auto reader = f.reader(f.system_identity());
    CHECK(reader.read_to_string(container.name(), "data.bin", options) == data);

    // Azurite (--loose) ignores x-ms-range-get-content-crc64 and sends no x-ms-content-crc64:
    // a reader that asked for a checksum must fail closed, not accept unverified bytes.
    options.checksum = azmi::transfer_checksum::crc64;
    auto crc = reader.try_read_to_string(container.name(), "data.bin", options);
    REQUIRE_FALSE(crc.has_value());
    CHECK(crc.error().code == azmi::errc::integrity);
    CHECK(crc.error().message.find("x-ms-content-crc64") != std::string::npos);
}

TEST_CASE("e2e blobs: a stored Content-MD5 that does not match the bytes is errc::integrity") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-integrity");
    azmi::header_map commit;
    commit.set("x-ms-blob-content-md5", azmi::detail::md5_base64("not these bytes"));
    f.admin.put_blob_in_blocks(container.name(), "data.bin", 4096, 1024,
                               [](std::uint64_t offset, std::size_t, std::string& buffer) { pseudo_random_bytes(offset, buffer); },
                               commit);
    const auto reader = f.reader(f.system_identity());
    auto read = reader.try_read_to_string(container.name(), "data.bin");
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == azmi::errc::integrity);

    temp_path file;
    auto download = reader.try_download_to_file(container.name(), "data.bin", file.path);
    REQUIRE_FALSE(download.has_value());
    CHECK(download.error().code == azmi::errc::integrity);
    CHECK_FALSE(std::filesystem::exists(file.path));

    azmi::download_options trusting;
    trusting.verify_content_md5 = false;
    CHECK(reader.read_to_string(container.name(), "data.bin", trusting).size() == 4096);
}

TEST_CASE("e2e blobs: metadata comes back from get_properties and from listings") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-meta");
    azmi::header_map meta;
    meta.set("x-ms-meta-modelversion", "3");
    meta.set("x-ms-meta-owner", "scoring");
    f.admin.put_blob(container.name(), "model.json", "{}", "application/json", meta);
    const auto reader = f.reader(f.system_identity());

    const auto props = reader.get_properties(container.name(), "model.json");
    CHECK(props.size == 2);
    CHECK(props.content_type == "application/json");
    CHECK(props.blob_type == "BlockBlob");
    CHECK(props.metadata.at("modelversion") == "3");
    CHECK(props.metadata.at("owner") == "scoring");

    std::vector<azmi::blob_item> items;
    for (const auto& item : reader.all_blobs(container.name(), {"", "", 0, true})) items.push_back(item);
    REQUIRE(items.size() == 1);
    CHECK(items[0].properties.metadata.at("modelversion") == "3");
    // Listings carry the ETag unquoted and the header quoted; both come out in the header form.
    CHECK(items[0].properties.etag == props.etag);
    CHECK(items[0].properties.size == 2);
}

TEST_CASE("e2e blobs: a cancelled download or a refused overwrite leaves the destination alone") {
    azmi_test::e2e_fixture f;
    azmi_test::scoped_container container(f.admin, "e2e-cancel");
    f.admin.put_blob(container.name(), "data.bin", std::string(2 * 1024 * 1024, 'z'));
    const auto reader = f.reader(f.system_identity());
    temp_path file;

    azmi::download_options cancel;
    cancel.chunk_size = 256 * 1024;
    cancel.progress = [](std::uint64_t, std::uint64_t) { return false; };
    auto cancelled = reader.try_download_to_file(container.name(), "data.bin", file.path, cancel);
    REQUIRE_FALSE(cancelled.has_value());
    CHECK(cancelled.error().code == azmi::errc::cancelled);
    CHECK_FALSE(std::filesystem::exists(file.path));
    for (const auto& entry : std::filesystem::directory_iterator(file.path.parent_path()))
        CHECK(entry.path().filename().string().find(file.path.filename().string()) == std::string::npos);

    std::ofstream(file.path) << "keep me";
    azmi::download_options keep;
    keep.overwrite = false;
    auto refused = reader.try_download_to_file(container.name(), "data.bin", file.path, keep);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == azmi::errc::io);
    std::ifstream in(file.path);
    std::string text;
    std::getline(in, text);
    CHECK(text == "keep me");
}

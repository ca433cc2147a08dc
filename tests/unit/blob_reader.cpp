// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/blob_reader.hpp>  // first: proves the header is self-contained

#include <azmi/crc64.hpp>
#include <azmi/detail/crypto.hpp>
#include <azmi/detail/http_date.hpp>
#include <azmi/detail/uuid.hpp>
#include <azmi/shared_key_credential.hpp>
#include <azmi/testing/mock_transport.hpp>

#include <doctest/doctest.h>

#include <algorithm>   // sort, count_if
#include <atomic>      // atomic
#include <chrono>      // durations
#include <cstddef>     // byte
#include <cstring>     // memcmp
#include <filesystem>  // temp_directory_path, directory_iterator
#include <fstream>     // ifstream
#include <iterator>    // istreambuf_iterator
#include <memory>      // shared_ptr
#include <mutex>       // mutex
#include <optional>    // optional
#include <random>      // mt19937
#include <set>         // set
#include <stdexcept>   // runtime_error
#include <string>      // string
#include <thread>      // thread
#include <vector>      // vector

using namespace std::chrono_literals;
using azmi::errc;
using azmi::http_method;
using azmi::http_request;
using azmi::testing::mock_transport;
using azmi::testing::scripted_response;

namespace {

// ---- test doubles ------------------------------------------------------------------------

/// A token credential that hands out "tok-<generation>" and counts what the reader does.
class fake_credential final : public azmi::token_credential {
public:
    azmi::result<azmi::access_token> try_get_token(std::string_view scope) override {
        std::lock_guard<std::mutex> lock(mutex_);
        ++fetches_;
        last_scope_ = std::string(scope);
        if (fail_) return azmi::error(errc::not_configured, "no managed identity endpoint (MSI_ENDPOINT unset)");
        return azmi::access_token("tok-" + std::to_string(generation_), std::chrono::system_clock::now() + 1h);
    }
    void invalidate(std::string_view scope, const azmi::access_token& rejected) override {
        std::lock_guard<std::mutex> lock(mutex_);
        ++invalidations_;
        last_scope_ = std::string(scope);
        rejected_.push_back(rejected.token());
        ++generation_;
    }
    int fetches() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return fetches_;
    }
    int invalidations() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return invalidations_;
    }
    std::vector<std::string> rejected() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return rejected_;
    }
    std::string last_scope() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return last_scope_;
    }
    void set_fail(bool fail) {
        std::lock_guard<std::mutex> lock(mutex_);
        fail_ = fail;
    }

private:
    mutable std::mutex mutex_;
    int fetches_ = 0;
    int invalidations_ = 0;
    int generation_ = 1;
    bool fail_ = false;
    std::string last_scope_;
    std::vector<std::string> rejected_;
};

/// Records the waits of the retry policy instead of sleeping, and drives a fake clock.
struct sleep_recorder {
    std::mutex mutex;
    std::vector<std::chrono::milliseconds> waits;
    std::chrono::steady_clock::time_point now{};
    void sleep(std::chrono::milliseconds d) {
        std::lock_guard<std::mutex> lock(mutex);
        waits.push_back(d);
        now += d;
    }
    std::vector<std::chrono::milliseconds> recorded() {
        std::lock_guard<std::mutex> lock(mutex);
        return waits;
    }
};

std::string error_xml(const std::string& code, const std::string& message, const std::string& extra = {}) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + message +
           "\nRequestId:5f2b0c1e-0000-0000-0000-000000000000\nTime:2024-01-15T10:00:00.0000000Z</Message>" + extra +
           "</Error>";
}

scripted_response service_error(int status, const std::string& code, const std::string& message = "It failed.") {
    return scripted_response::reply(status, error_xml(code, message),
                                    {{"x-ms-error-code", code}, {"x-ms-request-id", "req-" + code}});
}

std::string random_bytes(std::size_t n, unsigned seed = 42) {
    std::mt19937 gen(seed);
    std::string out(n, '\0');
    for (auto& c : out) c = static_cast<char>(gen() & 0xFF);
    return out;
}

/// A blob served the way Azure serves it: ranges (x-ms-range), If-Match, 416, checksums.
struct fake_blob {
    std::string data;
    std::string etag = "\"0x8DC15A1B2C3D4E5\"";
    std::string stored_md5;  // the blob's Content-MD5 property; empty = none
    bool azure_empty_416 = true;
    std::string bad_range_checksum;  // when set, sent instead of the correct per-range checksum
    std::chrono::milliseconds delay{0};  // latency of every answer

    scripted_response serve(const http_request& r) const { return serve_now(r).after(delay); }

    scripted_response serve_now(const http_request& r) const {
        if (auto match = r.headers.get("If-Match"); match && *match != etag)
            return service_error(412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
        azmi::header_map h{{"ETag", etag},
                           {"Last-Modified", "Mon, 15 Jan 2024 10:00:00 GMT"},
                           {"x-ms-blob-type", "BlockBlob"},
                           {"Content-Type", "application/octet-stream"},
                           {"x-ms-request-id", "req-get"}};
        const auto range = r.headers.get("x-ms-range");
        if (!range) {
            if (!stored_md5.empty()) h.set("Content-MD5", stored_md5);
            return scripted_response::reply(200, data, h);
        }
        const std::string spec(range->substr(6));
        const auto dash = spec.find('-');
        const std::uint64_t first = std::stoull(spec.substr(0, dash));
        std::uint64_t last = std::stoull(spec.substr(dash + 1));
        if (first >= data.size() && (azure_empty_416 || !data.empty())) {
            auto e = service_error(416, "InvalidRange", "The range specified is invalid for the current size of the resource.");
            e.headers.set("Content-Range", "bytes */" + std::to_string(data.size()));
            return e;
        }
        if (data.empty()) {  // Azurite's answer for an empty blob
            h.set("Content-Range", "bytes 0--1/0");
            return scripted_response::reply(206, "", h);
        }
        last = std::min<std::uint64_t>(last, data.size() - 1);
        std::string body = data.substr(first, last - first + 1);
        h.set("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                                   std::to_string(data.size()));
        if (!stored_md5.empty()) h.set("x-ms-blob-content-md5", stored_md5);
        if (r.headers.get("x-ms-range-get-content-md5") == std::string_view("true"))
            h.set("Content-MD5", bad_range_checksum.empty() ? azmi::detail::md5_base64(body) : bad_range_checksum);
        if (r.headers.get("x-ms-range-get-content-crc64") == std::string_view("true")) {
            azmi::crc64 crc;
            crc.update(body);
            h.set("x-ms-content-crc64", bad_range_checksum.empty() ? crc.base64() : bad_range_checksum);
        }
        return scripted_response::reply(206, std::move(body), h);
    }
};

/// Everything a test needs: a mock transport, a fake credential, recorded sleeps.
struct fixture {
    std::shared_ptr<mock_transport> mock = std::make_shared<mock_transport>();
    std::shared_ptr<fake_credential> credential = std::make_shared<fake_credential>();
    std::shared_ptr<sleep_recorder> sleeps = std::make_shared<sleep_recorder>();

    azmi::blob_reader_options options() const {
        azmi::blob_reader_options o;
        auto s = sleeps;
        o.retry.sleep = [s](std::chrono::milliseconds d) { s->sleep(d); };
        o.retry.now = [s] {
            std::lock_guard<std::mutex> lock(s->mutex);
            return s->now;
        };
        o.retry.jitter_min = o.retry.jitter_max = 1.0;
        return o;
    }
    azmi::blob_reader reader() const { return reader(azmi::blob_endpoint::for_account("acct")); }
    azmi::blob_reader reader(azmi::blob_endpoint endpoint) const {
        return azmi::blob_reader(std::move(endpoint), azmi::storage_auth::bearer(credential), mock, options());
    }
    azmi::blob_reader reader(azmi::storage_auth auth) const {
        return azmi::blob_reader(azmi::blob_endpoint::for_account("acct"), std::move(auth), mock, options());
    }
    /// Serves `blob` for every GET/HEAD of ".../c0n/<name>".
    void serve(const std::shared_ptr<fake_blob>& blob, const std::string& name = "blob.bin") const {
        mock->add_rule(mock_transport::match_url("/c0n/" + name), [blob](const http_request& r) { return blob->serve(r); });
    }
    std::vector<http_request> requests() const { return mock->requests(); }
};

/// A directory under the system temp dir, removed with everything in it.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        path = std::filesystem::temp_directory_path() / ("azmi-blob-reader-test-" + azmi::detail::make_uuid_v4());
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::size_t entries() const {
        std::size_t n = 0;
        for (const auto& e : std::filesystem::directory_iterator(path)) {
            (void)e;
            ++n;
        }
        return n;
    }
};

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string header(const http_request& r, std::string_view name) { return std::string(r.headers.value_or(name, "<none>")); }

bool is_uuid(const std::string& s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-')) return false;
    }
    return true;
}

std::string list_xml(const std::vector<std::string>& names, const std::string& next_marker,
                     const std::vector<std::string>& prefixes = {}) {
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><EnumerationResults "
                    "ServiceEndpoint=\"https://acct.blob.core.windows.net/\" ContainerName=\"c0n\"><Blobs>";
    for (const auto& p : prefixes) x += "<BlobPrefix><Name>" + p + "</Name></BlobPrefix>";
    for (const auto& n : names)
        x += "<Blob><Name>" + n + "</Name><Properties><Etag>0x1E166591705B3B0</Etag><Content-Length>" +
             std::to_string(n.size()) + "</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>";
    x += "</Blobs><NextMarker>" + next_marker + "</NextMarker></EnumerationResults>";
    return x;
}

}  // namespace

// ==== headers on every request ================================================================

TEST_CASE("blob_reader: sends x-ms-version, x-ms-date, client request id, User-Agent and Bearer on every request") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = "hello world";
    f.serve(blob);
    f.mock->add_rule(mock_transport::match_url("comp=list"), scripted_response::reply(200, list_xml({"a"}, "")));
    const auto reader = f.reader();

    CHECK(reader.read_to_string("c0n", "blob.bin") == "hello world");
    CHECK(reader.get_properties("c0n", "blob.bin").size == 11);
    CHECK(reader.list_blobs("c0n").next_page().blobs.size() == 1);

    const auto requests = f.requests();
    REQUIRE(requests.size() == 3);
    std::set<std::string> ids;
    for (const auto& r : requests) {
        CAPTURE(r.url);
        CHECK(header(r, "x-ms-version") == "2025-01-05");
        CHECK(header(r, "Authorization") == "Bearer tok-1");
        CHECK(header(r, "User-Agent") == std::string("azmi/") + azmi::version_string);
        const auto date = azmi::detail::parse_http_date(header(r, "x-ms-date"));
        REQUIRE(date.has_value());
        CHECK(std::chrono::system_clock::now() - *date < 60s);
        const std::string id = header(r, "x-ms-client-request-id");
        CHECK(is_uuid(id));
        ids.insert(id);
    }
    CHECK(ids.size() == 3);  // a new id per operation
    CHECK(f.credential->last_scope() == azmi::storage_scope);
}

TEST_CASE("blob_reader: api_version and application_id options are honoured; a bad api_version fails every call") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = "x";
    f.serve(blob);
    auto o = f.options();
    o.api_version = "2019-02-02";
    o.application_id = "scoring\r\nX-Evil: 1";
    azmi::blob_reader reader(azmi::blob_endpoint::for_account("acct"), azmi::storage_auth::bearer(f.credential), f.mock, o);
    CHECK(reader.read_to_string("c0n", "blob.bin") == "x");
    const auto r = f.requests().at(0);
    CHECK(header(r, "x-ms-version") == "2019-02-02");
    CHECK(header(r, "User-Agent") == std::string("scoringX-Evil: 1 azmi/") + azmi::version_string);

    o.api_version = "latest";
    azmi::blob_reader bad(azmi::blob_endpoint::for_account("acct"), azmi::storage_auth::bearer(f.credential), f.mock, o);
    const auto e = bad.try_read_to_string("c0n", "blob.bin");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::invalid_argument);
    CHECK(f.mock->request_count() == 1);
}

TEST_CASE("blob_reader: blob names go on the wire percent-encoded, dot segments kept") {
    fixture f;
    f.mock->add_rule(mock_transport::match(http_method::head), scripted_response::reply(200, "", {{"Content-Length", "0"}}));
    const auto reader = f.reader();
    for (const char* name : {"dir/h\xC3\xA9llo w\xC3\xB6rld.txt", "a+b?c#d%e", "a/../b"}) (void)reader.get_properties("c0n", name);
    const auto r = f.requests();
    REQUIRE(r.size() == 3);
    CHECK(r[0].url == "https://acct.blob.core.windows.net/c0n/dir/h%C3%A9llo%20w%C3%B6rld.txt");
    CHECK(r[1].url == "https://acct.blob.core.windows.net/c0n/a%2Bb%3Fc%23d%25e");
    CHECK(r[2].url == "https://acct.blob.core.windows.net/c0n/a/../b");
}

TEST_CASE("blob_reader: invalid container and blob names are refused before any I/O") {
    fixture f;
    const auto reader = f.reader();
    for (const char* container : {"evil.invalid#", "x@evil.invalid/", "evil.invalid/?", "evil.invalid:443/x?", "AB"}) {
        CAPTURE(container);
        CHECK(reader.try_read_to_string(container, "b").error().code == errc::invalid_argument);
        CHECK(reader.try_get_properties(container, "b").error().code == errc::invalid_argument);
        CHECK(reader.try_list_blobs(container).error().code == errc::invalid_argument);
    }
    CHECK(reader.try_read_to_string("c0n", "").error().code == errc::invalid_argument);
    CHECK(reader.try_read_to_string("c0n", "bad\x01name").error().code == errc::invalid_argument);
    CHECK(reader.try_read_to_string("c0n", "\xC3\x28").error().code == errc::invalid_argument);
    CHECK(reader.try_read_to_string("c0n", std::string(1025, 'n')).error().code == errc::invalid_argument);
    CHECK(f.mock->request_count() == 0);
    CHECK(f.credential->fetches() == 0);
}

TEST_CASE("blob_reader: bearer tokens are never sent over plain http except to loopback") {
    fixture f;
    f.mock->add_rule(mock_transport::match(http_method::head), scripted_response::reply(200, "", {{"Content-Length", "3"}}));
    const auto remote = f.reader(azmi::blob_endpoint::from_url("http://acct.blob.core.windows.net", "acct"));
    const auto e = remote.try_get_properties("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::invalid_argument);
    CHECK(e.error().message.find("plain http") != std::string::npos);
    CHECK(f.mock->request_count() == 0);
    CHECK(f.credential->fetches() == 0);

    for (const char* loopback : {"http://127.0.0.1:10000/devstoreaccount1", "http://localhost:10000/devstoreaccount1",
                                 "http://[::1]:10000/devstoreaccount1"}) {
        CAPTURE(loopback);
        CHECK(f.reader(azmi::blob_endpoint::from_url(loopback, "devstoreaccount1")).get_properties("c0n", "b").size == 3);
    }
    CHECK(f.mock->request_count() == 3);
    // Shared Key, SAS and anonymous access may use http (Azurite); only bearer tokens are refused.
    CHECK(azmi::blob_reader(azmi::blob_endpoint::from_url("http://acct.blob.core.windows.net"), azmi::storage_auth::anonymous(),
                            f.mock, f.options())
              .try_get_properties("c0n", "b")
              .has_value());
}

// ==== errors ====================================================================================

TEST_CASE("blob_reader: a 3xx answer is an error and is not followed") {
    fixture f;
    f.mock->push(301, "", {{"Location", "https://evil.invalid/steal"}});
    const auto e = f.reader().try_read_to_string("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::http_status);
    CHECK(e.error().status == 301);
    CHECK(e.error().message.find("redirects are not followed") != std::string::npos);
    CHECK(f.mock->request_count() == 1);
}

TEST_CASE("blob_reader: 401 invalidates the token, refreshes once and succeeds") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = "payload";
    f.mock->add_rule(mock_transport::match_url("/c0n/"), service_error(401, "InvalidAuthenticationInfo", "Server failed to authenticate the request."), 1);
    f.serve(blob, "b");
    CHECK(f.reader().read_to_string("c0n", "b") == "payload");
    const auto r = f.requests();
    REQUIRE(r.size() == 2);
    CHECK(header(r[0], "Authorization") == "Bearer tok-1");
    CHECK(header(r[1], "Authorization") == "Bearer tok-2");
    CHECK(f.credential->invalidations() == 1);
    CHECK(f.credential->rejected() == std::vector<std::string>{"tok-1"});
    CHECK(f.credential->last_scope() == azmi::storage_scope);
    CHECK(f.sleeps->recorded().empty());  // a refresh is not a backoff retry
}

TEST_CASE("blob_reader: a second 401 after the refresh is an authentication error") {
    fixture f;
    f.mock->add_rule(mock_transport::match_url("/c0n/"), service_error(401, "InvalidAuthenticationInfo", "Server failed to authenticate the request."));
    const auto e = f.reader().try_read_to_string("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::authentication);
    CHECK(e.error().status == 401);
    CHECK_FALSE(e.error().retriable());
    CHECK(f.mock->request_count() == 2);
    CHECK(f.credential->invalidations() == 1);
    CHECK(f.credential->fetches() == 2);
    CHECK(e.error().message.find("tok-") == std::string::npos);
}

TEST_CASE("blob_reader: 403 AuthenticationFailed refreshes once; permission errors map to authorization without refresh") {
    SUBCASE("AuthenticationFailed with detail") {
        fixture f;
        f.mock->add_rule(mock_transport::match_url("/c0n/"),
                         scripted_response::reply(403,
                                                  error_xml("AuthenticationFailed", "Server failed to authenticate the request.",
                                                            "<AuthenticationErrorDetail>Issuer validation failed.</AuthenticationErrorDetail>"),
                                                  {{"x-ms-error-code", "AuthenticationFailed"}}));
        const auto e = f.reader().try_read_to_string("c0n", "b");
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().code == errc::authentication);
        CHECK(e.error().message.find("Issuer validation failed.") != std::string::npos);
        CHECK(f.mock->request_count() == 2);
        CHECK(f.credential->invalidations() == 1);
    }
    for (const char* code : {"AuthorizationPermissionMismatch", "AuthorizationFailure"}) {
        SUBCASE(code) {
            fixture f;
            f.mock->add_rule(mock_transport::match_url("/c0n/"), service_error(403, code, "This request is not authorized."));
            const auto e = f.reader().try_read_to_string("c0n", "b");
            REQUIRE_FALSE(e.has_value());
            CHECK(e.error().code == errc::authorization);
            CHECK(e.error().error_code == code);
            CHECK(f.mock->request_count() == 1);
            CHECK(f.credential->invalidations() == 0);
        }
    }
}

TEST_CASE("blob_reader: errors carry status, code, first message line, request ids") {
    fixture f;
    f.mock->push(scripted_response::reply(404, error_xml("BlobNotFound", "The specified blob does not exist."),
                                          {{"x-ms-error-code", "BlobNotFound"}, {"x-ms-request-id", "srv-123"}}));
    const auto e = f.reader().try_read_to_string("c0n", "dir/missing.txt");
    REQUIRE_FALSE(e.has_value());
    const azmi::error& err = e.error();
    CHECK(err.code == errc::blob_not_found);
    CHECK(err.status == 404);
    CHECK(err.error_code == "BlobNotFound");
    CHECK(err.request_id == "srv-123");
    CHECK(err.client_request_id == header(f.requests().at(0), "x-ms-client-request-id"));
    CHECK(err.message.find("The specified blob does not exist.") != std::string::npos);
    CHECK(err.message.find("RequestId:") == std::string::npos);  // only the first line
    CHECK(err.message.find("c0n/dir/missing.txt") != std::string::npos);
    CHECK_FALSE(err.retriable());
    CHECK_THROWS_AS(f.reader().read_to_string("c0n", "dir/missing.txt"), azmi::exception);
}

TEST_CASE("blob_reader: error code from the XML body when the header is missing; status mapping") {
    struct row {
        int status;
        const char* code;
        errc expected;
    };
    for (const row& r : {row{404, "BlobNotFound", errc::blob_not_found}, row{404, "ContainerNotFound", errc::container_not_found},
                         row{404, "ResourceNotFound", errc::http_status}, row{412, "ConditionNotMet", errc::condition_not_met},
                         row{416, "InvalidRange", errc::invalid_range}, row{400, "InvalidHeaderValue", errc::http_status},
                         row{401, "NoAuthenticationInformation", errc::authentication},
                         row{403, "AuthorizationSourceIPMismatch", errc::authorization},
                         row{409, "LeaseIdMissing", errc::http_status}}) {
        CAPTURE(r.code);
        fixture f;
        f.mock->push(scripted_response::reply(r.status, error_xml(r.code, "The message.")));
        const auto g = f.reader(azmi::storage_auth::anonymous()).try_read_range("c0n", "b", 1, 5);
        REQUIRE_FALSE(g.has_value());
        CHECK(g.error().status == r.status);
        CHECK(g.error().code == r.expected);
        CHECK(g.error().error_code == r.code);
        CHECK(g.error().message.find("The message.") != std::string::npos);
        CHECK(f.mock->request_count() == 1);
    }
}

TEST_CASE("blob_reader: HEAD errors are mapped from the x-ms-error-code header alone") {
    fixture f;
    f.mock->push(scripted_response::reply(404, "", {{"x-ms-error-code", "BlobNotFound"}, {"x-ms-request-id", "r1"}}));
    const auto e = f.reader().try_get_properties("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::blob_not_found);
    CHECK(e.error().request_id == "r1");
    CHECK(e.error().message.find("HTTP 404 BlobNotFound") != std::string::npos);
    CHECK(f.requests().at(0).method == http_method::head);
}

TEST_CASE("blob_reader: exists is true, false for BlobNotFound and ContainerNotFound, an error otherwise") {
    fixture f;
    f.mock->push(200, "", {{"Content-Length", "5"}});
    f.mock->push(404, "", {{"x-ms-error-code", "BlobNotFound"}});
    f.mock->push(404, "", {{"x-ms-error-code", "ContainerNotFound"}});
    f.mock->push(403, "", {{"x-ms-error-code", "AuthorizationPermissionMismatch"}});
    const auto reader = f.reader();
    CHECK(reader.exists("c0n", "b"));
    CHECK_FALSE(reader.exists("c0n", "b"));
    CHECK_FALSE(reader.exists("c0n", "b"));
    const auto e = reader.try_exists("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::authorization);
}

TEST_CASE("blob_reader: get_properties reads size, ETag, dates, content headers, type and metadata") {
    fixture f;
    f.mock->push(200, "",
                 {{"Content-Length", "1200"},
                  {"ETag", "\"0x8DC15A1B2C3D4E5\""},
                  {"Last-Modified", "Tue, 24 Nov 2026 16:16:58 GMT"},
                  {"Content-Type", "text/csv"},
                  {"Content-MD5", "xMpCOKC5I4INzFCab3WEmw=="},
                  {"Content-Encoding", "gzip"},
                  {"x-ms-blob-type", "BlockBlob"},
                  {"x-ms-meta-Owner", "team-a"},
                  {"x-ms-meta-run", "42"}});
    const auto p = f.reader().get_properties("c0n", "data.csv");
    CHECK(p.size == 1200);
    CHECK(p.etag == "\"0x8DC15A1B2C3D4E5\"");
    CHECK(p.last_modified == "Tue, 24 Nov 2026 16:16:58 GMT");
    CHECK(p.content_type == "text/csv");
    CHECK(p.content_md5 == "xMpCOKC5I4INzFCab3WEmw==");
    CHECK(p.content_encoding == "gzip");
    CHECK(p.blob_type == "BlockBlob");
    CHECK(p.metadata.size() == 2);
    CHECK(p.metadata.at("Owner") == "team-a");
    CHECK(p.metadata.at("run") == "42");
}

TEST_CASE("blob_reader: a credential failure is returned as is, with nothing sent") {
    fixture f;
    f.credential->set_fail(true);
    const auto e = f.reader().try_read_to_string("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::not_configured);
    CHECK(e.error().message.find("MSI_ENDPOINT") != std::string::npos);
    CHECK(f.mock->request_count() == 0);
}

// ==== retries ===================================================================================

TEST_CASE("blob_reader: retries 408 429 500 502 503 504 with exponential backoff, then succeeds") {
    for (int status : {408, 429, 500, 502, 503, 504}) {
        CAPTURE(status);
        fixture f;
        f.mock->push(status, error_xml("ServerBusy", "busy"));
        f.mock->push(status, error_xml("ServerBusy", "busy"));
        f.mock->push(200, "ok");
        CHECK(f.reader().read_to_string("c0n", "b") == "ok");
        CHECK(f.sleeps->recorded() == std::vector<std::chrono::milliseconds>{800ms, 1600ms});
        const auto r = f.requests();
        REQUIRE(r.size() == 3);
        // One client request id for all attempts of one operation; a date on each.
        CHECK(header(r[0], "x-ms-client-request-id") == header(r[2], "x-ms-client-request-id"));
        for (const auto& q : r) CHECK(azmi::detail::parse_http_date(header(q, "x-ms-date")).has_value());
    }
}

TEST_CASE("blob_reader: never retries 404, 412, 416, 400 or 501") {
    for (int status : {400, 404, 412, 416, 501}) {
        CAPTURE(status);
        fixture f;
        f.mock->add_rule(mock_transport::match_url("/c0n/"), scripted_response::reply(status, error_xml("X", "no")));
        CHECK_FALSE(f.reader().try_read_range("c0n", "b", 10, 10).has_value());
        CHECK(f.mock->request_count() == 1);
        CHECK(f.sleeps->recorded().empty());
    }
}

TEST_CASE("blob_reader: honours Retry-After seconds and date, retry-after-ms and x-ms-retry-after-ms") {
    fixture f;
    f.mock->push(503, "", {{"Retry-After", "3"}});
    f.mock->push(503, "", {{"retry-after-ms", "250"}});
    f.mock->push(429, "", {{"x-ms-retry-after-ms", "1234"}});
    const std::string soon = azmi::detail::format_http_date(std::chrono::system_clock::now() + 10s);
    f.mock->push(503, "", {{"Retry-After", soon}});
    f.mock->push(200, "done");
    CHECK(f.reader().read_to_string("c0n", "b") == "done");
    const auto waits = f.sleeps->recorded();
    REQUIRE(waits.size() == 4);
    CHECK(waits[0] == 3000ms);
    CHECK(waits[1] == 250ms);
    CHECK(waits[2] == 1234ms);
    CHECK(waits[3] > 8000ms);
    CHECK(waits[3] <= 10000ms);
}

TEST_CASE("blob_reader: retries are bounded by max_retries; the last error is returned") {
    fixture f;
    auto o = f.options();
    o.retry.max_retries = 2;
    f.mock->add_rule(mock_transport::match_url("/c0n/"), service_error(503, "ServerBusy", "The server is busy."));
    azmi::blob_reader reader(azmi::blob_endpoint::for_account("acct"), azmi::storage_auth::bearer(f.credential), f.mock, o);
    const auto e = reader.try_read_to_string("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::http_status);
    CHECK(e.error().status == 503);
    CHECK(e.error().error_code == "ServerBusy");
    CHECK(e.error().retriable());
    CHECK(e.error().message.find("gave up after 2 retries") != std::string::npos);
    CHECK(f.mock->request_count() == 3);
    CHECK(f.sleeps->recorded() == std::vector<std::chrono::milliseconds>{800ms, 1600ms});
}

TEST_CASE("blob_reader: retries are bounded by max_total_time") {
    fixture f;
    auto o = f.options();
    o.retry.max_retries = 100;
    o.retry.max_total_time = 5000ms;  // 800 + 1600 = 2400 fits; + 3200 = 5600 does not
    f.mock->add_rule(mock_transport::match_url("/c0n/"), scripted_response::reply(500, ""));
    azmi::blob_reader reader(azmi::blob_endpoint::for_account("acct"), azmi::storage_auth::bearer(f.credential), f.mock, o);
    CHECK_FALSE(reader.try_read_to_string("c0n", "b").has_value());
    CHECK(f.sleeps->recorded() == std::vector<std::chrono::milliseconds>{800ms, 1600ms});
    CHECK(f.mock->request_count() == 3);

    // A Retry-After longer than the budget ends the retries at once, and is reported.
    fixture g;
    g.mock->push(503, "", {{"Retry-After", "600"}});
    auto o2 = g.options();
    o2.retry.max_total_time = 60000ms;
    azmi::blob_reader reader2(azmi::blob_endpoint::for_account("acct"), azmi::storage_auth::bearer(g.credential), g.mock, o2);
    const auto e = reader2.try_read_to_string("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().retry_after == 600000ms);
    CHECK(g.sleeps->recorded().empty());
}

TEST_CASE("blob_reader: connection failures and timeouts are retried") {
    fixture f;
    f.mock->push(scripted_response::fail("Connection reset by peer"));
    f.mock->push(scripted_response::fail("Operation timed out", errc::timeout));
    f.mock->push(200, "up");
    CHECK(f.reader().read_to_string("c0n", "b") == "up");
    CHECK(f.mock->request_count() == 3);
    CHECK(f.sleeps->recorded().size() == 2);

    fixture g;
    g.mock->add_rule(mock_transport::match_url("/c0n/"), scripted_response::fail("Could not resolve host"));
    const auto e = g.reader().try_read_to_string("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::transport);
    CHECK(e.error().message.find("Could not resolve host") != std::string::npos);
    CHECK(g.mock->request_count() == 5);  // 1 + default 4 retries
}

// ==== downloads =================================================================================

TEST_CASE("blob_reader: parallel ranged download returns the exact bytes for many chunk sizes and concurrencies") {
    const std::string data = random_bytes(300 * 1024 + 17);
    for (std::uint64_t chunk : {std::uint64_t(1000), std::uint64_t(4096), std::uint64_t(65536), std::uint64_t(300 * 1024 + 17),
                                std::uint64_t(8) << 20}) {
        for (unsigned concurrency : {1U, 2U, 4U, 8U}) {
            CAPTURE(chunk);
            CAPTURE(concurrency);
            fixture f;
            auto blob = std::make_shared<fake_blob>();
            blob->data = data;
            f.serve(blob);
            f.mock->set_chunk_size(chunk % 3 == 0 ? 777 : 4096);
            azmi::download_options o;
            o.chunk_size = chunk;
            o.first_chunk_size = chunk;  // every request one chunk, so the tiling below is uniform
            o.concurrency = concurrency;
            const auto reader = f.reader();
            REQUIRE(reader.read_to_string("c0n", "blob.bin", o) == data);

            const auto requests = f.requests();
            // One worker: the first chunk, then the rest in one GET.
            const std::size_t chunked = static_cast<std::size_t>((data.size() + chunk - 1) / chunk);
            const std::size_t expected_requests = concurrency == 1 ? std::min<std::size_t>(chunked, 2) : chunked;
            CHECK(requests.size() == expected_requests);
            CHECK_FALSE(requests[0].headers.contains("If-Match"));
            CHECK(header(requests[0], "x-ms-range") == "bytes=0-" + std::to_string(chunk - 1));
            std::set<std::string> ranges;
            for (std::size_t i = 1; i < requests.size(); ++i) {
                CHECK(header(requests[i], "If-Match") == blob->etag);
                ranges.insert(header(requests[i], "x-ms-range"));
            }
            CHECK(ranges.size() == requests.size() - 1);  // no range fetched twice
        }
    }
}

TEST_CASE("blob_reader: every target gets the same bytes: vector, buffer, file, sink") {
    const std::string data = random_bytes(100000, 7);
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = data;
    f.serve(blob);
    azmi::download_options o;
    o.chunk_size = 8192;
    o.concurrency = 3;
    const auto reader = f.reader();

    const auto bytes = reader.read_to_vector("c0n", "blob.bin", o);
    REQUIRE(bytes.size() == data.size());
    CHECK(std::memcmp(bytes.data(), data.data(), data.size()) == 0);
    const auto uchars = reader.read_to_vector<unsigned char>("c0n", "blob.bin", o);
    CHECK(std::string(uchars.begin(), uchars.end()) == data);

    std::vector<char> buffer(data.size() + 10, '#');
    CHECK(reader.read_into("c0n", "blob.bin", buffer.data(), buffer.size(), o) == data.size());
    CHECK(std::string(buffer.data(), data.size()) == data);
    CHECK(buffer.back() == '#');

    temp_dir dir;
    const auto props = reader.download_to_file("c0n", "blob.bin", dir.path / "out.bin", o);
    CHECK(read_file(dir.path / "out.bin") == data);
    CHECK(props.size == data.size());
    CHECK(props.etag == blob->etag);
    CHECK(dir.entries() == 1);  // no temporary left behind

    std::string streamed;
    std::thread::id sink_thread;
    reader.read_to_sink("c0n", "blob.bin", [&](std::string_view piece) {
        streamed.append(piece.data(), piece.size());
        sink_thread = std::this_thread::get_id();
        return true;
    }, o);
    CHECK(streamed == data);
    CHECK(sink_thread == std::this_thread::get_id());

    struct collecting_sink : azmi::body_sink {
        std::string got;
        bool write(std::string_view piece) override {
            got.append(piece.data(), piece.size());
            return true;
        }
    } sink;
    reader.read_to_sink("c0n", "blob.bin", sink, o);
    CHECK(sink.got == data);
}

TEST_CASE("blob_reader: a caller's buffer that is too small is an error, never a silent truncation") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = random_bytes(5000);
    f.serve(blob);
    std::vector<std::byte> small(4999);
    const auto r = f.reader().try_read_into("c0n", "blob.bin", small.data(), small.size());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().message.find("too small") != std::string::npos);
}

TEST_CASE("blob_reader: 412 mid-download is condition_not_met and leaves no file") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = random_bytes(50000);
    // The blob is replaced after the first chunk: later chunks carry the old ETag.
    f.mock->add_rule([](const http_request& r) { return r.headers.contains("If-Match"); },
                     service_error(412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met."));
    f.serve(blob);
    temp_dir dir;
    azmi::download_options o;
    o.chunk_size = 10000;
    const auto reader = f.reader();
    const auto e = reader.try_download_to_file("c0n", "blob.bin", dir.path / "model.bin", o);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::condition_not_met);
    CHECK(e.error().message.find("modified during read") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path / "model.bin"));
    CHECK(dir.entries() == 0);
    // Memory targets hand nothing back either.
    const auto s = reader.try_read_to_string("c0n", "blob.bin", o);
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().code == errc::condition_not_met);
    CHECK(f.sleeps->recorded().empty());  // 412 is not retried
}

TEST_CASE("blob_reader: a failed download keeps an existing destination untouched") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = random_bytes(30000);
    f.mock->add_rule([](const http_request& r) { return r.headers.contains("If-Match"); }, service_error(412, "ConditionNotMet"));
    f.serve(blob);
    temp_dir dir;
    {
        std::ofstream(dir.path / "keep.bin") << "previous version";
    }
    azmi::download_options o;
    o.chunk_size = 4096;
    CHECK_FALSE(f.reader().try_download_to_file("c0n", "blob.bin", dir.path / "keep.bin", o).has_value());
    CHECK(read_file(dir.path / "keep.bin") == "previous version");
    CHECK(dir.entries() == 1);
}

TEST_CASE("blob_reader: overwrite=false refuses an existing file before any request; true replaces it") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = "new";
    f.serve(blob);
    temp_dir dir;
    {
        std::ofstream(dir.path / "x.bin") << "old";
    }
    azmi::download_options o;
    o.overwrite = false;
    const auto e = f.reader().try_download_to_file("c0n", "blob.bin", dir.path / "x.bin", o);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::io);
    CHECK(f.mock->request_count() == 0);
    CHECK(read_file(dir.path / "x.bin") == "old");
    CHECK(f.reader().try_download_to_file("c0n", "blob.bin", dir.path / "x.bin").has_value());
    CHECK(read_file(dir.path / "x.bin") == "new");
    CHECK(dir.entries() == 1);
    // A missing directory fails before any request too.
    CHECK(f.reader().try_download_to_file("c0n", "blob.bin", dir.path / "no" / "such" / "dir.bin").error().code == errc::io);
    CHECK(f.mock->request_count() == 1);
}

namespace {
// Makes the first request for exactly `range` deliver only `bytes` bytes of its body, once.
void cut_once(fixture& f, const std::shared_ptr<fake_blob>& blob, std::string range, std::size_t bytes) {
    f.mock->add_rule([range](const http_request& r) { return r.headers.get("x-ms-range") == std::string_view(range); },
                     [blob, bytes](const http_request& r) {
                         auto full = blob->serve(r);
                         return scripted_response::truncated(full.status, full.body, bytes, full.headers);
                     },
                     1);
}
}  // namespace

TEST_CASE("blob_reader: a body cut mid-transfer resumes from the last byte, pinned by If-Match") {
    const std::string data = random_bytes(40000, 3);
    // Downloads `data` in 10000-byte chunks with `concurrency` workers while the first request
    // for `cut_range` is cut after 3000 bytes; returns the requests sent.
    auto download_with_cut = [&data](unsigned concurrency, const std::string& cut_range) {
        fixture f;
        auto blob = std::make_shared<fake_blob>();
        blob->data = data;
        cut_once(f, blob, cut_range, 3000);
        f.serve(blob);
        azmi::download_options o;
        o.chunk_size = 10000;
        o.concurrency = concurrency;
        temp_dir dir;
        f.reader().download_to_file("c0n", "blob.bin", dir.path / "r.bin", o);
        CHECK(read_file(dir.path / "r.bin") == data);
        CHECK(f.sleeps->recorded().empty());  // a resume is not a retry: no backoff
        for (const auto& q : f.requests())
            if (q.headers.get("x-ms-range") != std::string_view("bytes=0-9999")) CHECK(header(q, "If-Match") == blob->etag);
        return f.requests();
    };
    SUBCASE("parallel chunks: chunk 2 is resumed at byte 13000") {
        const auto r = download_with_cut(2, "bytes=10000-19999");
        REQUIRE(r.size() == 5);
        CHECK(std::any_of(r.begin(), r.end(), [](const http_request& q) {
            return q.headers.get("x-ms-range") == std::string_view("bytes=13000-19999");
        }));
    }
    SUBCASE("single stream: the rest is one GET, resumed at byte 13000") {
        const auto r = download_with_cut(1, "bytes=10000-39999");
        REQUIRE(r.size() == 3);
        CHECK(header(r[0], "x-ms-range") == "bytes=0-9999");
        CHECK(header(r[1], "x-ms-range") == "bytes=10000-39999");
        CHECK(header(r[2], "x-ms-range") == "bytes=13000-39999");
    }
}

TEST_CASE("blob_reader: a cut first chunk is fetched again; resumes are bounded") {
    const std::string data = random_bytes(20000, 5);
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = data;
    cut_once(f, blob, "bytes=0-9999", 100);
    f.serve(blob);
    azmi::download_options o;
    o.chunk_size = 10000;
    CHECK(f.reader().read_to_string("c0n", "blob.bin", o) == data);
    const auto r = f.requests();
    REQUIRE(r.size() == 3);
    CHECK(header(r[1], "x-ms-range") == "bytes=0-9999");
    CHECK_FALSE(r[1].headers.contains("If-Match"));

    // A chunk that is always cut gives up after max_resumes.
    fixture g;
    g.mock->add_rule([](const http_request& q) { return q.headers.contains("If-Match"); },
                     [blob](const http_request& q) {
                         auto full = blob->serve(q);
                         return scripted_response::truncated(full.status, full.body, 10, full.headers);
                     });
    g.serve(blob);
    o.max_resumes = 3;
    const auto e = g.reader().try_read_to_string("c0n", "blob.bin", o);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::truncated);
    CHECK(g.mock->request_count() == 1 + 1 + 3);
}

TEST_CASE("blob_reader: an empty blob reads as empty (Azure's 416 and Azurite's 206)") {
    for (bool azure : {true, false}) {
        CAPTURE(azure);
        fixture f;
        auto blob = std::make_shared<fake_blob>();
        blob->azure_empty_416 = azure;
        f.serve(blob);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
        azmi::download_options o;
        o.progress = [&](std::uint64_t done, std::uint64_t total) {
            progress.emplace_back(done, total);
            return true;
        };
        CHECK(f.reader().read_to_string("c0n", "blob.bin", o).empty());
        CHECK(progress == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 0}});
        const auto r = f.requests();
        REQUIRE(r.size() == (azure ? 2U : 1U));
        if (azure) CHECK_FALSE(r[1].headers.contains("x-ms-range"));
        temp_dir dir;
        f.reader().download_to_file("c0n", "blob.bin", dir.path / "empty.bin", o);
        CHECK(std::filesystem::file_size(dir.path / "empty.bin") == 0);
    }
}

TEST_CASE("blob_reader: read_range sends x-ms-range, clips at the end, 416 past the end") {
    const std::string data = random_bytes(1000, 9);
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = data;
    f.serve(blob);
    const auto reader = f.reader();
    CHECK(reader.read_range("c0n", "blob.bin", 100, 50) == data.substr(100, 50));
    CHECK(header(f.requests().back(), "x-ms-range") == "bytes=100-149");
    CHECK(reader.read_range("c0n", "blob.bin", 900, 500) == data.substr(900));
    CHECK(reader.read_range("c0n", "blob.bin", 10, std::nullopt) == data.substr(10));
    CHECK(reader.read_range("c0n", "blob.bin", 5, 0).empty());
    const auto e = reader.try_read_range("c0n", "blob.bin", 1000, 10);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::invalid_range);

    // A range bigger than one chunk is fetched in pinned chunks.
    azmi::download_options o;
    o.chunk_size = 64;
    o.concurrency = 3;
    f.mock->reset();
    f.serve(blob);
    CHECK(reader.read_range("c0n", "blob.bin", 123, 400, o) == data.substr(123, 400));
    const auto r = f.requests();
    REQUIRE(r.size() == 7);
    CHECK(header(r[0], "x-ms-range") == "bytes=123-186");
    for (std::size_t i = 1; i < r.size(); ++i) CHECK(header(r[i], "If-Match") == blob->etag);
}

// ==== integrity =================================================================================

TEST_CASE("blob_reader: the blob's Content-MD5 is verified on full and ranged downloads") {
    const std::string data = random_bytes(70000, 11);
    for (unsigned concurrency : {1U, 4U}) {
        CAPTURE(concurrency);
        fixture f;
        auto blob = std::make_shared<fake_blob>();
        blob->data = data;
        blob->stored_md5 = azmi::detail::md5_base64(data);
        f.serve(blob);
        azmi::download_options o;
        o.chunk_size = 9000;
        o.concurrency = concurrency;
        temp_dir dir;
        const auto reader = f.reader();
        CHECK(reader.read_to_string("c0n", "blob.bin", o) == data);
        CHECK(reader.download_to_file("c0n", "blob.bin", dir.path / "ok.bin", o).content_md5 == blob->stored_md5);
        std::string streamed;
        reader.read_to_sink("c0n", "blob.bin", [&](std::string_view p) {
            streamed.append(p.data(), p.size());
            return true;
        }, o);
        CHECK(streamed == data);

        blob->stored_md5 = azmi::detail::md5_base64("something else");
        const auto e = reader.try_download_to_file("c0n", "blob.bin", dir.path / "bad.bin", o);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().code == errc::integrity);
        CHECK(e.error().message.find("Content-MD5 mismatch") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(dir.path / "bad.bin"));
        CHECK(dir.entries() == 1);
        CHECK(reader.try_read_to_string("c0n", "blob.bin", o).error().code == errc::integrity);
        CHECK(reader.try_read_to_sink("c0n", "blob.bin", [](std::string_view) { return true; }, o).error().code ==
              errc::integrity);

        // Opt-out, and ranges (which cannot be checked against the whole-blob MD5) still work.
        o.verify_content_md5 = false;
        CHECK(reader.read_to_string("c0n", "blob.bin", o) == data);
        o.verify_content_md5 = true;
        CHECK(reader.read_range("c0n", "blob.bin", 10, 20000, o) == data.substr(10, 20000));
    }
}

TEST_CASE("blob_reader: Content-MD5 of a full (non-range) GET is verified") {
    fixture f;
    f.mock->push(scripted_response::reply(200, "abc", {{"ETag", "\"e\""}, {"Content-MD5", azmi::detail::md5_base64("xyz")}}));
    const auto e = f.reader().try_read_to_string("c0n", "b");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::integrity);
    f.mock->push(scripted_response::reply(200, "abc", {{"ETag", "\"e\""}, {"Content-MD5", azmi::detail::md5_base64("abc")}}));
    CHECK(f.reader().read_to_string("c0n", "b") == "abc");
}

TEST_CASE("blob_reader: transactional MD5 and CRC64 per range, chunks capped at 4 MiB") {
    const std::string data = random_bytes(9 * 1024 * 1024 + 5, 13);
    for (auto checksum : {azmi::transfer_checksum::md5, azmi::transfer_checksum::crc64}) {
        const bool md5 = checksum == azmi::transfer_checksum::md5;
        CAPTURE(md5);
        fixture f;
        auto blob = std::make_shared<fake_blob>();
        blob->data = data;
        f.serve(blob);
        f.mock->set_chunk_size(256 * 1024);
        azmi::download_options o;
        o.checksum = checksum;  // chunk_size stays automatic, so the 4 MiB cap applies
        const auto reader = f.reader();
        CHECK(reader.read_to_string("c0n", "blob.bin", o) == data);
        const auto r = f.requests();
        REQUIRE(r.size() == 4);  // first_chunk_size 1 MiB, then 4 MiB + 4 MiB + 5 bytes
        for (const auto& q : r) {
            CHECK(header(q, md5 ? "x-ms-range-get-content-md5" : "x-ms-range-get-content-crc64") == "true");
            CHECK_FALSE(q.headers.contains(md5 ? "x-ms-range-get-content-crc64" : "x-ms-range-get-content-md5"));
        }
        CHECK(header(r[0], "x-ms-range") == "bytes=0-1048575");  // first_chunk_size
        // Then 4 MiB chunks (the checksum cap); parallel, so in no particular order.
        CHECK(std::any_of(r.begin(), r.end(), [](const auto& q) { return header(q, "x-ms-range") == "bytes=1048576-5242879"; }));

        blob->bad_range_checksum = md5 ? azmi::detail::md5_base64("nope") : std::string("AAAAAAAAAAA=");
        temp_dir dir;
        const auto e = reader.try_download_to_file("c0n", "blob.bin", dir.path / "t.bin", o);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().code == errc::integrity);
        CHECK(dir.entries() == 0);
    }
}

TEST_CASE("blob_reader: a requested per-range checksum that the service omits is an integrity error") {
    fixture f;
    f.mock->push(scripted_response::reply(206, "0123456789", {{"ETag", "\"e\""}, {"Content-Range", "bytes 0-9/10"}}));
    azmi::download_options o;
    o.checksum = azmi::transfer_checksum::crc64;
    const auto e = f.reader().try_read_to_string("c0n", "b", o);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::integrity);
    CHECK(e.error().message.find("x-ms-content-crc64") != std::string::npos);
}

TEST_CASE("blob_reader: with a per-range checksum a cut chunk is fetched again from its start") {
    const std::string data = random_bytes(30000, 17);
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = data;
    f.mock->add_rule([](const http_request& r) { return r.headers.get("x-ms-range") == std::string_view("bytes=10000-19999"); },
                     [blob](const http_request& r) {
                         auto full = blob->serve(r);
                         return scripted_response::truncated(full.status, full.body, 4000, full.headers);
                     },
                     1);
    f.serve(blob);
    azmi::download_options o;
    o.chunk_size = 10000;
    o.concurrency = 1;
    o.checksum = azmi::transfer_checksum::md5;
    std::string streamed;
    f.reader().read_to_sink("c0n", "blob.bin", [&](std::string_view p) {
        streamed.append(p.data(), p.size());
        return true;
    }, o);
    CHECK(streamed == data);  // the sink saw no byte twice
    const auto r = f.requests();
    REQUIRE(r.size() == 4);
    CHECK(header(r[2], "x-ms-range") == "bytes=10000-19999");
}

// ==== progress and cancellation =================================================================

TEST_CASE("blob_reader: progress is monotonic, on the caller's thread, and ends at the total") {
    const std::string data = random_bytes(200000, 19);
    for (unsigned concurrency : {1U, 4U}) {
        CAPTURE(concurrency);
        fixture f;
        auto blob = std::make_shared<fake_blob>();
        blob->data = data;
        f.serve(blob);
        f.mock->set_chunk_size(1000);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
        bool other_thread = false;
        const auto me = std::this_thread::get_id();
        azmi::download_options o;
        o.chunk_size = 16384;
        o.concurrency = concurrency;
        o.progress_interval = 0ms;
        o.progress = [&](std::uint64_t done, std::uint64_t total) {
            other_thread = other_thread || std::this_thread::get_id() != me;
            calls.emplace_back(done, total);
            return true;
        };
        temp_dir dir;
        f.reader().download_to_file("c0n", "blob.bin", dir.path / "p.bin", o);
        CHECK_FALSE(other_thread);
        REQUIRE(calls.size() >= 2);
        for (std::size_t i = 1; i < calls.size(); ++i) CHECK(calls[i].first >= calls[i - 1].first);
        for (const auto& c : calls) CHECK(c.second == data.size());
        CHECK(calls.back().first == data.size());
        CHECK(std::count_if(calls.begin(), calls.end(), [&](const auto& c) { return c.first == data.size(); }) == 1);
    }
}

TEST_CASE("blob_reader: returning false from progress cancels and removes the temporary file") {
    const std::string data = random_bytes(200000, 23);
    for (unsigned concurrency : {1U, 4U}) {
        CAPTURE(concurrency);
        fixture f;
        auto blob = std::make_shared<fake_blob>();
        blob->data = data;
        f.serve(blob);
        f.mock->set_chunk_size(1000);
        azmi::download_options o;
        o.chunk_size = 10000;
        o.concurrency = concurrency;
        o.progress_interval = 0ms;
        o.progress = [](std::uint64_t done, std::uint64_t) { return done < 50000; };
        blob->delay = 5ms;  // so the workers are still busy when the callback says stop
        temp_dir dir;
        const auto e = f.reader().try_download_to_file("c0n", "blob.bin", dir.path / "c.bin", o);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().code == errc::cancelled);
        CHECK(dir.entries() == 0);
        CHECK(f.mock->request_count() < 20);  // stopped early
    }
}

TEST_CASE("blob_reader: a sink that returns false cancels; one that throws propagates its exception") {
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = random_bytes(50000);
    f.serve(blob);
    azmi::download_options o;
    o.chunk_size = 10000;
    const auto reader = f.reader();
    const auto e = reader.try_read_to_sink("c0n", "blob.bin", [](std::string_view) { return false; }, o);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::cancelled);
    CHECK_THROWS_WITH_AS((void)reader.try_read_to_sink("c0n", "blob.bin", [](std::string_view) -> bool { throw std::runtime_error("disk full"); }, o),
                         "disk full", std::runtime_error);
    o.progress = [](std::uint64_t, std::uint64_t) -> bool { throw std::runtime_error("ui gone"); };
    temp_dir dir;
    CHECK_THROWS_WITH_AS((void)reader.try_download_to_file("c0n", "blob.bin", dir.path / "z.bin", o), "ui gone", std::runtime_error);
    CHECK(dir.entries() == 0);
}

TEST_CASE("blob_reader: one reader serves many threads at once") {
    const std::string data = random_bytes(50000, 29);
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = data;
    f.serve(blob);
    const auto reader = f.reader();
    azmi::download_options o;
    o.chunk_size = 7000;
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) good += reader.try_read_to_string("c0n", "blob.bin", o).value_or("") == data;
        });
    for (auto& t : threads) t.join();
    CHECK(good == 40);
}

// ==== listing ===================================================================================

TEST_CASE("blob_reader: list_blobs follows NextMarker across pages with prefix, delimiter and page size") {
    fixture f;
    f.mock->push(200, list_xml({"dir/a", "dir/b"}, "2!104!MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-", {"dir/sub/"}));
    f.mock->push(200, list_xml({"dir/c"}, "marker two"));
    f.mock->push(200, list_xml({"dir/d"}, ""));
    azmi::list_options lo;
    lo.prefix = "dir/";
    lo.delimiter = "/";
    lo.page_size = 2;
    auto pager = f.reader().list_blobs("c0n", lo);
    std::vector<std::string> names;
    std::vector<std::string> prefixes;
    int pages = 0;
    while (pager.has_more_pages()) {
        const auto page = pager.next_page();
        ++pages;
        for (const auto& b : page.blobs) names.push_back(b.name);
        prefixes.insert(prefixes.end(), page.prefixes.begin(), page.prefixes.end());
    }
    CHECK(pages == 3);
    CHECK(names == std::vector<std::string>{"dir/a", "dir/b", "dir/c", "dir/d"});
    CHECK(prefixes == std::vector<std::string>{"dir/sub/"});
    const auto r = f.requests();
    REQUIRE(r.size() == 3);
    CHECK(r[0].url ==
          "https://acct.blob.core.windows.net/c0n?restype=container&comp=list&prefix=dir%2F&delimiter=%2F&maxresults=2");
    CHECK(r[1].url.find("&marker=2%21104%21MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-") != std::string::npos);
    CHECK(r[2].url.find("&marker=marker%20two") != std::string::npos);
    for (const auto& q : r) CHECK(header(q, "Authorization") == "Bearer tok-1");
    CHECK(pager.try_next_page().error().code == errc::invalid_argument);
}

TEST_CASE("blob_reader: all_blobs iterates every item across pages, skipping empty pages") {
    fixture f;
    f.mock->push(200, list_xml({"a", "b"}, "m1"));
    f.mock->push(200, list_xml({}, "m2"));
    f.mock->push(200, list_xml({"c"}, ""));
    std::vector<std::string> names;
    for (const azmi::blob_item& item : f.reader().all_blobs("c0n")) names.push_back(item.name);
    CHECK(names == std::vector<std::string>{"a", "b", "c"});
    CHECK(f.mock->request_count() == 3);

    fixture g;
    g.mock->push(200, list_xml({}, ""));
    auto empty = g.reader().all_blobs("c0n");
    CHECK(empty.begin() == empty.end());

    // Post-increment keeps the item it was at.
    fixture h;
    h.mock->push(200, list_xml({"x", "y"}, ""));
    auto range = h.reader().all_blobs("c0n");
    auto it = range.begin();
    CHECK((*it++).name == "x");
    CHECK(it->name == "y");
    ++it;
    CHECK(it == range.end());
}

TEST_CASE("blob_reader: listing errors throw from the range and are results from the pager") {
    fixture f;
    f.mock->push(200, list_xml({"a"}, "m1"));
    f.mock->push(service_error(404, "ContainerNotFound", "The specified container does not exist."));
    auto range = f.reader().all_blobs("c0n");
    auto it = range.begin();
    CHECK(it->name == "a");
    CHECK_THROWS_AS(++it, azmi::exception);
    CHECK_THROWS_AS(f.reader().all_blobs("Bad_Name").begin(), azmi::exception);

    fixture g;
    g.mock->push(200, "<html>not xml");
    auto pager = g.reader().list_blobs("c0n");
    const auto e = pager.try_next_page();
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::malformed_response);
    CHECK(pager.has_more_pages());  // can be retried

    fixture h;
    h.mock->push(200, list_xml({"a"}, "same"));
    h.mock->push(200, list_xml({"a"}, "same"));
    auto loop = h.reader().list_blobs("c0n");
    CHECK(loop.try_next_page().has_value());
    CHECK(loop.try_next_page().error().code == errc::malformed_response);  // no endless loop
}

// ==== other ways in =============================================================================

TEST_CASE("blob_reader: SAS tokens go in the query, never in Authorization or messages") {
    fixture f;
    f.mock->push(200, "sas body");
    f.mock->push(200, list_xml({"a"}, ""));
    f.mock->push(scripted_response::reply(
        403, error_xml("AuthenticationFailed", "Signature did not match. sig=c2VjcmV0c2ln was used"),
        {{"x-ms-error-code", "AuthenticationFailed"}}));
    const auto reader = f.reader(azmi::storage_auth::sas("?sv=2024-08-04&sr=c&sp=rl&sig=c2VjcmV0c2ln"));
    CHECK(reader.read_to_string("c0n", "b") == "sas body");
    CHECK(reader.list_blobs("c0n").next_page().blobs.size() == 1);
    const auto e = reader.try_read_to_string("c0n", "b");
    const auto r = f.requests();
    REQUIRE(r.size() == 3);
    CHECK(r[0].url == "https://acct.blob.core.windows.net/c0n/b?sv=2024-08-04&sr=c&sp=rl&sig=c2VjcmV0c2ln");
    CHECK(r[1].url == "https://acct.blob.core.windows.net/c0n?restype=container&comp=list&sv=2024-08-04&sr=c&sp=rl&sig=c2VjcmV0c2ln");
    for (const auto& q : r) CHECK_FALSE(q.headers.contains("Authorization"));
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == errc::authentication);
    CHECK(e.error().message.find("c2VjcmV0c2ln") == std::string::npos);
    CHECK(e.error().message.find("sig=REDACTED") != std::string::npos);
    CHECK(f.mock->request_count() == 3);  // no refresh for a SAS
    CHECK(f.credential->fetches() == 0);

    CHECK_FALSE(azmi::storage_auth::try_sas("").has_value());
    CHECK_FALSE(azmi::storage_auth::try_sas("sv=1&sp=r").has_value());
    CHECK_FALSE(azmi::storage_auth::try_sas("sv=1&sig=a b").has_value());
    CHECK_FALSE(azmi::storage_auth::try_sas("sv=1&sig=ab#frag").has_value());
}

TEST_CASE("blob_reader: Shared Key signs every request after all headers are set") {
    fixture f;
    f.mock->push(200, "k");
    f.mock->push(200, list_xml({"a"}, ""));
    const std::string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    azmi::blob_reader reader(azmi::blob_endpoint::from_url("http://127.0.0.1:10000/devstoreaccount1", "devstoreaccount1"),
                             azmi::storage_auth::shared_key("devstoreaccount1", key), f.mock, f.options());
    CHECK(reader.read_to_string("c0n", "dir/h\xC3\xA9llo.txt") == "k");
    CHECK(reader.list_blobs("c0n", {"p/", "/", 5, false}).next_page().blobs.size() == 1);
    const auto signer = azmi::shared_key_credential::create("devstoreaccount1", key).value();
    for (auto r : f.requests()) {
        const std::string sent = header(r, "Authorization");
        CHECK(sent.rfind("SharedKey devstoreaccount1:", 0) == 0);
        r.headers.erase("Authorization");
        signer.sign(r).value();
        CHECK(header(r, "Authorization") == sent);  // the signature covers the headers as sent
        CHECK(r.headers.contains("x-ms-range") == (r.url.find("comp=list") == std::string::npos));
    }
}

TEST_CASE("blob_reader: anonymous access sends no Authorization") {
    fixture f;
    f.mock->push(200, "public");
    CHECK(f.reader(azmi::storage_auth::anonymous()).read_to_string("c0n", "b") == "public");
    CHECK_FALSE(f.requests().at(0).headers.contains("Authorization"));
    CHECK(header(f.requests().at(0), "x-ms-version") == "2025-01-05");
}

TEST_CASE("blob_reader: from_connection_string picks endpoint and auth") {
    fixture f;
    f.mock->add_rule(mock_transport::match(http_method::head), scripted_response::reply(200, "", {{"Content-Length", "1"}}));
    {
        const auto reader = azmi::blob_reader::from_connection_string("UseDevelopmentStorage=true", f.mock, f.options());
        CHECK(reader.endpoint().url() == "http://127.0.0.1:10000/devstoreaccount1");
        CHECK(reader.auth().type() == azmi::storage_auth::kind::shared_key);
        CHECK(reader.get_properties("c0n", "b").size == 1);
        const auto r = f.requests().back();
        CHECK(r.url == "http://127.0.0.1:10000/devstoreaccount1/c0n/b");
        CHECK(header(r, "Authorization").rfind("SharedKey devstoreaccount1:", 0) == 0);
    }
    {
        const auto reader = azmi::blob_reader::from_connection_string(
            "DefaultEndpointsProtocol=https;AccountName=mystorage;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn", f.mock,
            f.options());
        CHECK(reader.endpoint().url() == "https://mystorage.blob.core.chinacloudapi.cn");
        CHECK(reader.auth().type() == azmi::storage_auth::kind::shared_key);
    }
    {
        const auto reader = azmi::blob_reader::from_connection_string(
            "BlobEndpoint=https://mystorage.blob.core.windows.net;SharedAccessSignature=sv=2024-08-04&sig=abcd", f.mock, f.options());
        CHECK(reader.auth().type() == azmi::storage_auth::kind::sas);
        CHECK(reader.get_properties("c0n", "b").size == 1);
        CHECK(f.requests().back().url == "https://mystorage.blob.core.windows.net/c0n/b?sv=2024-08-04&sig=abcd");
        CHECK_FALSE(f.requests().back().headers.contains("Authorization"));
    }
    {
        const auto reader =
            azmi::blob_reader::from_connection_string("BlobEndpoint=https://public.blob.core.windows.net", f.mock, f.options());
        CHECK(reader.auth().type() == azmi::storage_auth::kind::anonymous);
    }
    const auto bad = azmi::blob_reader::try_from_connection_string("AccountName=evil.invalid#;AccountKey=a2V5", f.mock);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == errc::invalid_argument);
    CHECK(bad.error().message.find("a2V5") == std::string::npos);
}

TEST_CASE("blob_reader: no secret reaches a message: token, Shared Key signature") {
    fixture f;
    // A service message that echoes what it was sent, as Shared Key failures do.
    f.mock->add_rule(mock_transport::match_url("/c0n/"), [](const http_request& r) {
        const std::string auth(r.headers.value_or("Authorization", ""));
        return scripted_response::reply(403, error_xml("AuthenticationFailed", "The MAC signature found in the HTTP request '" + auth + "' is not the same"),
                                        {{"x-ms-error-code", "AuthenticationFailed"}});
    });
    const auto bearer = f.reader().try_read_to_string("c0n", "b");
    REQUIRE_FALSE(bearer.has_value());
    CHECK(bearer.error().message.find("tok-") == std::string::npos);
    CHECK(bearer.error().to_string().find("tok-") == std::string::npos);

    const std::string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    const auto sk = f.reader(azmi::storage_auth::shared_key("acct", key)).try_read_to_string("c0n", "b");
    REQUIRE_FALSE(sk.has_value());
    const std::string sent_signature = header(f.requests().back(), "Authorization").substr(15);
    CHECK(sent_signature.size() > 20);
    CHECK(sk.error().message.find(sent_signature) == std::string::npos);
    CHECK(sk.error().message.find("REDACTED") != std::string::npos);
}

TEST_CASE("blob_reader: automatic chunks are about two per worker, no smaller than 8 MiB, and 8 MiB under MD5") {
    // 1 MiB first, then 40 MiB + 7 bytes for the workers to share.
    constexpr std::uint64_t mib = 1024 * 1024;
    const std::string data = random_bytes(41 * mib + 7, 37);
    struct plan {
        unsigned concurrency;
        bool stored_md5;      // verified in blob order, so the chunks stay at 8 MiB
        std::uint64_t chunk;  // what the automatic choice must come to
    };
    for (const plan p : {plan{2, false, 10 * mib + 2}, plan{4, false, 8 * mib}, plan{16, false, 8 * mib},
                         plan{2, true, 8 * mib}}) {
        CAPTURE(p.concurrency);
        CAPTURE(p.stored_md5);
        fixture f;
        auto blob = std::make_shared<fake_blob>();
        blob->data = data;
        if (p.stored_md5) blob->stored_md5 = azmi::detail::md5_base64(data);
        f.serve(blob);
        f.mock->set_chunk_size(256 * 1024);
        azmi::download_options o;  // chunk_size 0: automatic
        o.concurrency = p.concurrency;
        REQUIRE(f.reader().read_to_string("c0n", "blob.bin", o) == data);

        const auto r = f.requests();
        const std::uint64_t rest = data.size() - mib;
        REQUIRE(r.size() == 1 + (rest + p.chunk - 1) / p.chunk);
        CHECK(header(r[0], "x-ms-range") == "bytes=0-" + std::to_string(mib - 1));
        std::set<std::string> ranges;
        for (std::size_t i = 1; i < r.size(); ++i) ranges.insert(header(r[i], "x-ms-range"));
        for (std::uint64_t first = mib; first < data.size(); first += p.chunk) {
            const std::uint64_t last = std::min<std::uint64_t>(first + p.chunk, data.size()) - 1;
            CHECK(ranges.count("bytes=" + std::to_string(first) + "-" + std::to_string(last)) == 1);
        }
    }
}

TEST_CASE("blob_reader: the first request asks for first_chunk_size, the rest for chunk_size") {
    const std::string data = random_bytes(3 * 1024 * 1024 + 10, 29);
    fixture f;
    auto blob = std::make_shared<fake_blob>();
    blob->data = data;
    f.serve(blob);
    azmi::download_options o;  // defaults: 1 MiB first, then the rest in one GET (one worker)
    o.concurrency = 1;
    CHECK(f.reader().read_to_string("c0n", "blob.bin", o) == data);
    const auto r = f.requests();
    REQUIRE(r.size() == 2);
    CHECK(header(r[0], "x-ms-range") == "bytes=0-1048575");
    CHECK(header(r[1], "x-ms-range") == "bytes=1048576-" + std::to_string(data.size() - 1));
    CHECK(header(r[1], "If-Match") == blob->etag);

    SUBCASE("a blob no larger than the first chunk takes one request") {
        fixture g;
        auto small = std::make_shared<fake_blob>();
        small->data = random_bytes(1024 * 1024, 31);
        g.serve(small);
        CHECK(g.reader().read_to_string("c0n", "blob.bin") == small->data);
        CHECK(g.requests().size() == 1);
    }
}

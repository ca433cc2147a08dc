// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
// The seed scenario's contract, checked on the built examples run as subprocesses with the
// environment Azure ML would give them (MSI_ENDPOINT, MSI_SECRET, [UAI_CLIENT_ID],
// STORAGE_ACCOUNT_NAME, STORAGE_CONTAINER_NAME, FILE_NAME) pointed at Azurite and the identity
// emulator. The account key is removed from their environment: they can only use the identity.
#include "e2e_fixture.hpp"
#include "run_process.hpp"

#include <azmi/detail/crypto.hpp>  // sha256_hex
#include <azmi/detail/json.hpp>    // nlohmann::json, to read the example data

#include <doctest/doctest.h>

#include <algorithm>   // count
#include <chrono>      // seconds
#include <cstddef>     // size_t
#include <filesystem>  // path, temp_directory_path, create_directory, remove_all
#include <fstream>     // ifstream, ofstream
#include <iterator>    // istreambuf_iterator, distance
#include <map>         // map
#include <optional>    // optional, nullopt
#include <string>      // string
#include <utility>     // move
#include <vector>      // vector

#ifndef AZMI_READ_BLOB_EXE
#error "CMake passes AZMI_READ_BLOB_EXE, AZMI_DOWNLOAD_BLOB_EXE, AZMI_SCORE_EXE and AZMI_EXAMPLES_DATA_DIR"
#endif

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The servers, one container with hello.txt, and the environment of a scoring script.
struct examples_fixture : azmi_test::e2e_fixture {
    examples_fixture() : container(admin, "e2e-examples") {
        admin.put_blob(container.name(), "hello.txt", "Hello World!", "text/plain");
        // Everything from env.sh is inherited; these make it exactly the seed's contract.
        env = {
            {"STORAGE_CONTAINER_NAME", container.name()},
            {"FILE_NAME", std::string("hello.txt")},
            {"AZURITE_ACCOUNT_KEY", std::nullopt},
            {"UAI_CLIENT_ID", std::nullopt},
            {"DEFAULT_IDENTITY_CLIENT_ID", std::nullopt},
            {"MODEL_BLOB", std::nullopt},
        };
    }

    /// Runs `exe` with `args` and `stdin_text` in the scoring environment.
    azmi_test::process_result run(const char* exe, std::vector<std::string> args = {}, std::string stdin_text = {}) const {
        azmi_test::process_options options;
        options.args = std::move(args);
        options.stdin_text = std::move(stdin_text);
        return run_with(exe, std::move(options));
    }

    /// The same with every process option available (terminal, interrupt).
    azmi_test::process_result run_with(const char* exe, azmi_test::process_options options) const {
        options.env = env;
        options.timeout = std::chrono::seconds(60);
        auto result = azmi_test::run_process(exe, options);
        CHECK_FALSE(result.timed_out);
        // Whatever happened, no secret may reach the output.
        const std::string secret = azmi_test::require_env("MSI_SECRET");
        CHECK(result.out.find(secret) == std::string::npos);
        CHECK(result.err.find(secret) == std::string::npos);
        CHECK(result.err.find("eyJ") == std::string::npos);
        return result;
    }

    azmi_test::scoped_container container;
    std::map<std::string, std::optional<std::string>> env;
};

/// One line of text: exactly one '\n', at the end.
bool one_line(const std::string& text) {
    return !text.empty() && text.back() == '\n' && std::count(text.begin(), text.end(), '\n') == 1;
}

}  // namespace

TEST_CASE("e2e examples: read_blob prints the blob like the seed's init() with the system identity") {
    examples_fixture f;
    const auto r = f.run(AZMI_READ_BLOB_EXE);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "Blob contains: Hello World!\n");
    CHECK(r.err.empty());
}

TEST_CASE("e2e examples: read_blob with UAI_CLIENT_ID signs in as that user-assigned identity") {
    examples_fixture f;
    f.env["UAI_CLIENT_ID"] = azmi_test::require_env("AZMI_TEST_USER_CLIENT_ID");
    const auto r = f.run(AZMI_READ_BLOB_EXE);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "Blob contains: Hello World!\n");

    // An identity the endpoint does not know is refused: so the id above was really used.
    f.env["UAI_CLIENT_ID"] = std::string("00000000-0000-4000-8000-00000000dead");
    const auto unknown = f.run(AZMI_READ_BLOB_EXE);
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.out.empty());
    CHECK(one_line(unknown.err));
    CHECK(unknown.err.find("Identity not found") != std::string::npos);
}

TEST_CASE("e2e examples: read_blob sends the MSI secret past any configured proxy, never through it") {
    examples_fixture f;
    // Nothing listens on port 1: a token request that went to this proxy would fail.
    f.env["http_proxy"] = std::string("http://127.0.0.1:1");
    f.env["HTTP_PROXY"] = std::string("http://127.0.0.1:1");
    f.env["no_proxy"] = std::nullopt;  // libcurl would otherwise honour an exemption from the caller
    f.env["NO_PROXY"] = std::nullopt;
    const auto r = f.run(AZMI_READ_BLOB_EXE);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "Blob contains: Hello World!\n");
}

TEST_CASE("e2e examples: read_blob names every missing variable in one line and exits 2") {
    examples_fixture f;
    f.env["FILE_NAME"] = std::nullopt;
    f.env["STORAGE_CONTAINER_NAME"] = std::string();  // empty counts as missing
    f.env["MSI_SECRET"] = std::nullopt;
    const auto r = f.run(AZMI_READ_BLOB_EXE);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(one_line(r.err));
    CHECK(r.err.find("MSI_SECRET") != std::string::npos);
    CHECK(r.err.find("STORAGE_CONTAINER_NAME") != std::string::npos);
    CHECK(r.err.find("FILE_NAME") != std::string::npos);
    CHECK(r.err.find("MSI_ENDPOINT") == std::string::npos);  // that one is set
}

TEST_CASE("e2e examples: read_blob reports a missing blob in one line and exits 1") {
    examples_fixture f;
    f.env["FILE_NAME"] = std::string("no-such-blob.txt");
    const auto r = f.run(AZMI_READ_BLOB_EXE);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(one_line(r.err));
    CHECK(r.err.find("blob_not_found") != std::string::npos);
    CHECK(r.err.find("no-such-blob.txt") != std::string::npos);
    CHECK(r.err.find("request id") != std::string::npos);
}

TEST_CASE("e2e examples: download_blob writes a 24 MiB blob to a file, byte for byte") {
    examples_fixture f;
    std::string data(24 * 1024 * 1024 + 12345, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
    f.admin.put_blob(f.container.name(), "models/big.bin", data);
    const auto dir = std::filesystem::temp_directory_path() / azmi_test::unique_container_name("azmi-e2e-dl");
    std::filesystem::create_directory(dir);
    const auto out = dir / "big.bin";

    const auto r = f.run(AZMI_DOWNLOAD_BLOB_EXE, {f.container.name(), "models/big.bin", out.string()});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "Downloaded " + std::to_string(data.size()) + " bytes to " + out.string() + "\n");
    CHECK(r.err.empty());  // stderr is not a terminal: no progress bar
    CHECK(azmi::detail::sha256_hex(read_file(out)) == azmi::detail::sha256_hex(data));
    CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("e2e examples: download_blob draws a progress bar when stderr is a terminal") {
    examples_fixture f;
    f.admin.put_blob(f.container.name(), "small.bin", std::string(3 * 1024 * 1024, 'x'));
    const auto dir = std::filesystem::temp_directory_path() / azmi_test::unique_container_name("azmi-e2e-tty");
    std::filesystem::create_directory(dir);
    azmi_test::process_options options;
    options.args = {f.container.name(), "small.bin", (dir / "small.bin").string()};
    options.stderr_is_terminal = true;
    const auto r = f.run_with(AZMI_DOWNLOAD_BLOB_EXE, options);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("100%") != std::string::npos);
    CHECK(r.err.find("3.0 MiB") != std::string::npos);
    CHECK(std::filesystem::file_size(dir / "small.bin") == 3 * 1024 * 1024);
    std::filesystem::remove_all(dir);
}

TEST_CASE("e2e examples: a failed download_blob leaves no partial file and keeps the old one") {
    examples_fixture f;
    const auto dir = std::filesystem::temp_directory_path() / azmi_test::unique_container_name("azmi-e2e-fail");
    std::filesystem::create_directory(dir);

    const auto fresh = dir / "fresh.bin";
    auto r = f.run(AZMI_DOWNLOAD_BLOB_EXE, {f.container.name(), "missing.bin", fresh.string()});
    CHECK(r.exit_code == 1);
    CHECK(one_line(r.err));
    CHECK(r.err.find("blob_not_found") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(fresh));

    const auto existing = dir / "existing.bin";
    std::ofstream(existing) << "previous contents";
    r = f.run(AZMI_DOWNLOAD_BLOB_EXE, {f.container.name(), "missing.bin", existing.string()});
    CHECK(r.exit_code == 1);
    CHECK(read_file(existing) == "previous contents");
    // Nothing else in the directory: no temporary was left behind.
    CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);

    const auto usage = f.run(AZMI_DOWNLOAD_BLOB_EXE, {f.container.name()});
    CHECK(usage.exit_code == 2);
    CHECK(usage.err.find("usage: download_blob CONTAINER BLOB OUTPUT") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("e2e examples: Ctrl-C stops download_blob and leaves no partial file") {
    examples_fixture f;
    f.admin.put_blob(f.container.name(), "big.bin", std::string(96 * 1024 * 1024, 'q'));
    const auto dir = std::filesystem::temp_directory_path() / azmi_test::unique_container_name("azmi-e2e-int");
    std::filesystem::create_directory(dir);
    const auto out = dir / "big.bin";
    // 96 MiB take a good second here; the interrupt lands long before the end.
    azmi_test::process_options options;
    options.args = {f.container.name(), "big.bin", out.string()};
    options.interrupt_after = std::chrono::milliseconds(100);
    const auto r = f.run_with(AZMI_DOWNLOAD_BLOB_EXE, options);
    CHECK(r.exit_code == 130);
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(std::filesystem::is_empty(dir));  // the temporary file was removed too
    if (!r.err.empty()) CHECK(r.err.find("interrupted") != std::string::npos);
    std::filesystem::remove_all(dir);
}

namespace {

/// The expected predictions for examples/data's model and request, computed here.
std::vector<double> expected_predictions(const nlohmann::json& model, const nlohmann::json& request) {
    std::vector<double> out;
    for (const auto& row : request.at("data")) {
        double y = model.at("bias").get<double>();
        for (std::size_t i = 0; i < row.size(); ++i) y += model.at("weights").at(i).get<double>() * row.at(i).get<double>();
        out.push_back(y);
    }
    return out;
}

void check_predictions(const std::string& out, const std::vector<double>& expected) {
    const auto printed = nlohmann::json::parse(out, nullptr, false);
    REQUIRE(printed.is_array());
    REQUIRE(printed.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(printed[i].get<double>() == doctest::Approx(expected[i]).epsilon(1e-12));
}

}  // namespace

TEST_CASE("e2e examples: score loads the model from a blob and scores the sample request") {
    examples_fixture f;
    const std::string data_dir = AZMI_EXAMPLES_DATA_DIR;
    const std::string model_text = read_file(data_dir + "/model.json");
    const std::string request_text = read_file(data_dir + "/sample-request.json");
    f.admin.put_blob(f.container.name(), "models/model.json", model_text, "application/json");
    f.env["MODEL_BLOB"] = std::string("models/model.json");
    const auto expected = expected_predictions(nlohmann::json::parse(model_text), nlohmann::json::parse(request_text));
    REQUIRE(expected.size() == 2);

    SUBCASE("request from a file") {
        const auto r = f.run(AZMI_SCORE_EXE, {data_dir + "/sample-request.json"});
        CHECK(r.exit_code == 0);
        CHECK(one_line(r.out));
        check_predictions(r.out, expected);
    }
    SUBCASE("request on stdin") {
        const auto r = f.run(AZMI_SCORE_EXE, {}, request_text);
        CHECK(r.exit_code == 0);
        check_predictions(r.out, expected);
    }
    SUBCASE("a user-assigned identity") {
        f.env["UAI_CLIENT_ID"] = azmi_test::require_env("AZMI_TEST_USER_CLIENT_ID");
        const auto r = f.run(AZMI_SCORE_EXE, {"-"}, request_text);
        CHECK(r.exit_code == 0);
        check_predictions(r.out, expected);
    }
}

TEST_CASE("e2e examples: score refuses malformed requests with a clear message") {
    examples_fixture f;
    f.admin.put_blob(f.container.name(), "model.json", read_file(std::string(AZMI_EXAMPLES_DATA_DIR) + "/model.json"));
    f.env["MODEL_BLOB"] = std::string("model.json");
    struct bad {
        const char* request;
        const char* says;
    };
    const bad cases[] = {
        {"this is not json", "not valid JSON"},
        {"", "not valid JSON"},
        {R"({"rows": [[1,2,3,4,5,6,7,8,9,10]]})", "\"data\""},
        {R"([[1,2,3,4,5,6,7,8,9,10]])", "\"data\""},
        {R"({"data": 5})", "\"data\" must be a list"},
        {R"({"data": [[1,2,3]]})", "row 1 must be a list of 10 numbers"},
        {R"({"data": [[1,2,3,4,5,6,7,8,9,10], [1,2,3,4,5,6,7,8,9,10,11]]})", "row 2 must be a list of 10 numbers"},
        {R"({"data": [[1,2,3,4,5,6,7,8,9,"10"]]})", "row 1, value 10 is not a number"},
        {R"({"data": [[1,2,3,4,5,6,7,8,true,10]]})", "row 1, value 9 is not a number"},
        {R"({"data": [[1,2,3,4,5,6,7,8,9,null]]})", "row 1, value 10 is not a number"},
        {R"({"data": [[1.7e308,1.7e308,1.7e308,1.7e308,1.7e308,1.7e308,1.7e308,1.7e308,1.7e308,1.7e308]]})",
         "too large"},
    };
    for (const auto& c : cases) {
        const std::string request = c.request;
        CAPTURE(request);
        const auto r = f.run(AZMI_SCORE_EXE, {}, request);
        CHECK(r.exit_code == 1);
        CHECK(r.out.empty());
        // The last stderr line is the error (the one before it logs the model load).
        const auto last = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
        CHECK(last.find("score: bad request: ") == 0);
        CHECK(last.find(c.says) != std::string::npos);
    }
}

TEST_CASE("e2e examples: score without MODEL_BLOB, or with a missing model, fails clearly") {
    examples_fixture f;
    auto r = f.run(AZMI_SCORE_EXE, {}, "{}");
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
    CHECK(r.err.find("MODEL_BLOB") != std::string::npos);

    f.env["MODEL_BLOB"] = std::string("no-model.json");
    r = f.run(AZMI_SCORE_EXE, {}, "{}");
    CHECK(r.exit_code == 1);
    CHECK(one_line(r.err));
    CHECK(r.err.find("blob_not_found") != std::string::npos);

    f.admin.put_blob(f.container.name(), "broken.json", R"({"weights": "heavy"})");
    f.env["MODEL_BLOB"] = std::string("broken.json");
    r = f.run(AZMI_SCORE_EXE, {}, "{}");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("weights") != std::string::npos);
}

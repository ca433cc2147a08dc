// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// score: the Azure ML managed identity tutorial's whole scoring script (init() and run()) in C++.
//
//   MODEL_BLOB=model.json score [REQUEST_FILE]      (no file, or "-": the request comes on stdin)
//
// init() downloads a linear model, {"weights": [w1, ..., wN], "bias": b}, from blob MODEL_BLOB in
// container STORAGE_CONTAINER_NAME with the endpoint's managed identity. run() scores a request
// {"data": [[x1, ..., xN], ...]} and prints one prediction per row (w . x + b) as a JSON list:
//
//   MODEL_BLOB=model.json ./score examples/data/sample-request.json    (model: examples/data/model.json)
//   [8.975000000000001,10.25]
//
// Environment as for read_blob (common/scoring_env.hpp) plus MODEL_BLOB.
// Logs go to stderr; on failure its last line says why. Exit status: 0 scored, 1 failed (bad
// request, bad model, storage or identity error), 2 bad usage or missing variables.

#include "common/scoring_env.hpp"

#include <nlohmann/json.hpp>  // json: the model and the requests

#include <cmath>      // isfinite
#include <cstddef>    // size_t
#include <exception>  // exception
#include <fstream>    // ifstream
#include <iostream>   // cin, cout, cerr
#include <iterator>   // istreambuf_iterator
#include <stdexcept>  // runtime_error
#include <string>     // string, to_string
#include <vector>     // vector

namespace {

struct linear_model {
    std::vector<double> weights;
    double bias = 0;
};

linear_model parse_model(const std::string& text, const std::string& where) {
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    auto bad = [&where](const std::string& why) { return std::runtime_error("model " + where + ": " + why); };
    if (!doc.is_object()) throw bad("is not a JSON object");
    const auto weights = doc.find("weights");
    if (weights == doc.end() || !weights->is_array() || weights->empty())
        throw bad("needs \"weights\": a non-empty list of numbers");
    const auto bias = doc.find("bias");
    if (bias == doc.end() || !bias->is_number()) throw bad("needs \"bias\": a number");
    linear_model model;
    for (const auto& w : *weights) {
        if (!w.is_number()) throw bad("\"weights\" holds something that is not a number");
        model.weights.push_back(w.get<double>());
    }
    model.bias = bias->get<double>();
    return model;
}

/// init(): fetch the model with the managed identity.
linear_model init() {
    azmi_examples::require_env({"MSI_ENDPOINT", "MSI_SECRET", "STORAGE_ACCOUNT_NAME", "STORAGE_CONTAINER_NAME",
                                "MODEL_BLOB"});
    const azmi::blob_reader reader = azmi_examples::reader_from_env();
    const std::string container = azmi_examples::env_or_empty("STORAGE_CONTAINER_NAME");
    const std::string blob = azmi_examples::env_or_empty("MODEL_BLOB");
    linear_model model = parse_model(reader.read_to_string(container, blob), "blob '" + container + "/" + blob + "'");
    std::cerr << "score: model loaded from blob '" << container << '/' << blob << "' (" << model.weights.size()
              << " weights)\n";
    return model;
}

/// A request the model cannot score: the caller's mistake, reported as such.
class bad_request : public std::runtime_error {
public:
    explicit bad_request(const std::string& why) : std::runtime_error("bad request: " + why) {}
};

/// run(): score every row of the request; returns the predictions as a JSON list.
std::string run(const linear_model& model, const std::string& raw_request) {
    const nlohmann::json request = nlohmann::json::parse(raw_request, nullptr, /*allow_exceptions=*/false);
    if (request.is_discarded()) throw bad_request("not valid JSON");
    if (!request.is_object() || !request.contains("data"))
        throw bad_request("expected a JSON object with \"data\": a list of rows");
    const nlohmann::json& rows = request["data"];
    if (!rows.is_array()) throw bad_request("\"data\" must be a list of rows");

    std::vector<double> predictions;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const nlohmann::json& row = rows[r];
        const std::string which = "row " + std::to_string(r + 1);
        if (!row.is_array() || row.size() != model.weights.size())
            throw bad_request(which + " must be a list of " + std::to_string(model.weights.size()) + " numbers");
        double y = model.bias;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (!row[i].is_number()) throw bad_request(which + ", value " + std::to_string(i + 1) + " is not a number");
            y += model.weights[i] * row[i].get<double>();
        }
        if (!std::isfinite(y)) throw bad_request(which + " gives a prediction too large to represent");
        predictions.push_back(y);
    }
    return nlohmann::json(predictions).dump();
}

/// The request from the file named on the command line, or from stdin.
std::string read_request(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "-")
        return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    std::ifstream file(argv[1], std::ios::binary);
    if (!file) throw std::runtime_error(std::string("cannot read request file ") + argv[1]);
    return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc > 2) throw azmi_examples::usage_error("usage: score [REQUEST_FILE]  (no file or \"-\": read stdin)");
        const linear_model model = init();
        std::cout << run(model, read_request(argc, argv)) << '\n';
        return 0;
    } catch (const azmi_examples::usage_error& e) {
        std::cerr << "score: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "score: " << e.what() << '\n';
        return 1;
    }
}

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/token_credential.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <chrono>       // seconds
#include <memory>       // shared_ptr, make_shared
#include <string>       // string
#include <string_view>  // string_view
#include <type_traits>  // is_abstract_v
#include <utility>      // move
#include <vector>       // vector

using namespace std::chrono_literals;

namespace {

const azmi::access_token::time_point t0{std::chrono::seconds(1'700'000'000)};

/// A credential as a user would write one for tests: answers from a fixed result and records
/// the scopes it was asked for. Does not override invalidate.
class fixed_credential : public azmi::token_credential {
public:
    explicit fixed_credential(azmi::result<azmi::access_token> answer) : answer_(std::move(answer)) {}

    azmi::result<azmi::access_token> try_get_token(std::string_view scope) override {
        scopes.emplace_back(scope);
        return answer_;
    }

    std::vector<std::string> scopes;

private:
    azmi::result<azmi::access_token> answer_;
};

/// A caching credential that does override invalidate.
class invalidating_credential final : public fixed_credential {
public:
    using fixed_credential::fixed_credential;

    void invalidate(std::string_view scope, const azmi::access_token& rejected) override {
        invalidated_scope = std::string(scope);
        invalidated_token = rejected.token();
    }

    std::string invalidated_scope;
    std::string invalidated_token;
};

}  // namespace

TEST_CASE("token_credential: storage_scope is the Storage .default scope") {
    static_assert(azmi::storage_scope == "https://storage.azure.com/.default", "usable at compile time");
    CHECK(std::string(azmi::storage_scope) == "https://storage.azure.com/.default");
}

TEST_CASE("token_credential: is an abstract interface with a virtual destructor") {
    static_assert(std::is_abstract_v<azmi::token_credential>, "try_get_token is pure");
    static_assert(std::has_virtual_destructor_v<azmi::token_credential>, "shared through the base");
    static_assert(!std::is_abstract_v<fixed_credential>, "one override is enough");
    CHECK(std::is_abstract_v<azmi::token_credential>);
}

TEST_CASE("token_credential: get_token returns the token from try_get_token") {
    auto cred = std::make_shared<fixed_credential>(azmi::access_token("tok-123", t0 + 3600s));
    std::shared_ptr<azmi::token_credential> base = cred;

    const azmi::access_token token = base->get_token(azmi::storage_scope);
    CHECK(token.token() == "tok-123");
    CHECK(token.expires_on() == t0 + 3600s);
    REQUIRE(cred->scopes.size() == 1);
    CHECK(cred->scopes[0] == "https://storage.azure.com/.default");

    const auto r = base->try_get_token("https://storage.azure.com/");
    REQUIRE(r.has_value());
    CHECK(r->token() == "tok-123");
    REQUIRE(cred->scopes.size() == 2);
    CHECK(cred->scopes[1] == "https://storage.azure.com/");  // scope passed through unchanged
}

TEST_CASE("token_credential: get_token throws azmi::exception with the credential's error") {
    azmi::error refused(azmi::errc::authentication, "identity endpoint refused the request", 400);
    refused.error_code = "invalid_request";
    fixed_credential cred(refused);
    azmi::token_credential& base = cred;

    const auto r = base.try_get_token(azmi::storage_scope);  // the non-throwing twin does not throw
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::authentication);

    try {
        (void)base.get_token(azmi::storage_scope);
        FAIL("get_token did not throw");
    } catch (const azmi::exception& ex) {
        CHECK(ex.code() == azmi::errc::authentication);
        CHECK(ex.error().message == "identity endpoint refused the request");
        CHECK(ex.error().status == 400);
        CHECK(ex.error().error_code == "invalid_request");
        CHECK(std::string(ex.what()) == refused.to_string());
    }
    CHECK(cred.scopes.size() == 2);
}

TEST_CASE("token_credential: the default invalidate does nothing") {
    fixed_credential cred(azmi::access_token("same-token", t0 + 3600s));
    azmi::token_credential& base = cred;
    const azmi::access_token first = base.get_token(azmi::storage_scope);

    base.invalidate(azmi::storage_scope, first);
    base.invalidate("", azmi::access_token{});

    CHECK(cred.scopes.size() == 1);  // invalidate did not fetch anything
    const azmi::access_token second = base.get_token(azmi::storage_scope);
    CHECK(second == first);
    CHECK(second.token() == "same-token");
}

TEST_CASE("token_credential: invalidate dispatches to an override with scope and rejected token") {
    invalidating_credential cred(azmi::access_token("rejected-token", t0 + 3600s));
    azmi::token_credential& base = cred;
    const azmi::access_token token = base.get_token(azmi::storage_scope);

    base.invalidate(azmi::storage_scope, token);
    CHECK(cred.invalidated_scope == "https://storage.azure.com/.default");
    CHECK(cred.invalidated_token == "rejected-token");
}

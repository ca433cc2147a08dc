// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/storage_auth.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <memory>  // shared_ptr
#include <string>  // string

using azmi::storage_auth;
using kind = azmi::storage_auth::kind;

namespace {
class null_credential final : public azmi::token_credential {
public:
    azmi::result<azmi::access_token> try_get_token(std::string_view) override {
        return azmi::error(azmi::errc::not_configured, "none");
    }
};
}  // namespace

TEST_CASE("storage_auth: the four kinds; default is anonymous") {
    CHECK(storage_auth().type() == kind::anonymous);
    CHECK(storage_auth::anonymous().type() == kind::anonymous);

    auto credential = std::make_shared<null_credential>();
    const auto bearer = storage_auth::bearer(credential);
    CHECK(bearer.type() == kind::bearer);
    CHECK(bearer.credential().get() == credential.get());
    CHECK(bearer.scope() == azmi::storage_scope);
    CHECK(storage_auth::bearer(credential, "https://storage.azure.com/").scope() == "https://storage.azure.com/");

    const auto key = storage_auth::shared_key(
        "devstoreaccount1", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==");
    CHECK(key.type() == kind::shared_key);
    REQUIRE(key.key_credential().get() != nullptr);
    CHECK(key.key_credential()->account_name() == "devstoreaccount1");

    const auto sas = storage_auth::sas("?sv=2024-08-04&sr=c&sig=abc%2Bdef");
    CHECK(sas.type() == kind::sas);
    CHECK(sas.sas_token() == "sv=2024-08-04&sr=c&sig=abc%2Bdef");
    CHECK(sas.sas_signature() == "abc%2Bdef");
    CHECK(storage_auth::sas("sig=first&sv=1").sas_signature() == "first");
}

TEST_CASE("storage_auth: bad shared keys and SAS tokens are refused without echoing them") {
    const auto bad_key = storage_auth::try_shared_key("devstoreaccount1", "not base64 !!");
    REQUIRE_FALSE(bad_key.has_value());
    CHECK(bad_key.error().code == azmi::errc::invalid_argument);
    CHECK(bad_key.error().message.find("not base64 !!") == std::string::npos);
    CHECK_FALSE(storage_auth::try_shared_key("Bad.Account", "a2V5").has_value());

    for (const char* bad : {"", "?", "sv=1&sp=r", "sv=1&sig=a b", "sv=1&sig=ab#x", "sv=1&sig=a\nb"}) {
        CAPTURE(bad);
        const auto r = storage_auth::try_sas(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::invalid_argument);
    }
    CHECK_THROWS_AS(storage_auth::sas("nosig"), azmi::exception);
}

TEST_CASE("storage_auth: redact_sas hides every sig value") {
    using azmi::detail::redact_sas;
    CHECK(redact_sas("https://a/c/b?sv=1&sig=abc%3D&sp=r") == "https://a/c/b?sv=1&sig=REDACTED&sp=r");
    CHECK(redact_sas("sig=abc") == "sig=REDACTED");
    CHECK(redact_sas("said 'sig=xyz' twice: sig=xyz") == "said 'sig=REDACTED' twice: sig=REDACTED");
    CHECK(redact_sas("no signature here; designation=x") == "no signature here; designation=x");
}

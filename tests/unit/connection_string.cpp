// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/connection_string.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <string>       // string
#include <string_view>  // string_view

namespace {

// A made-up key (base64 of "not a real account key, tests only!"); must never show up in errors.
constexpr std::string_view test_key = "bm90IGEgcmVhbCBhY2NvdW50IGtleSwgdGVzdHMgb25seSE=";
constexpr std::string_view dev_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

azmi::error parse_error(std::string_view text) {
    auto r = azmi::parse_connection_string(text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::invalid_argument);
    return r.error();
}

}  // namespace

TEST_CASE("connection_string: account name and key build the public endpoint") {
    const auto cs = azmi::parse_connection_string("DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey=" +
                                                  std::string(test_key) + ";EndpointSuffix=core.windows.net")
                        .value();
    CHECK(cs.account_name == "myacct");
    CHECK(cs.blob_endpoint == "https://myacct.blob.core.windows.net");
    CHECK(cs.account_key == test_key);
    CHECK(cs.sas_token.empty());
}

TEST_CASE("connection_string: defaults are https and core.windows.net; suffix and protocol are honoured") {
    CHECK(azmi::parse_connection_string("AccountName=myacct").value().blob_endpoint ==
          "https://myacct.blob.core.windows.net");
    CHECK(azmi::parse_connection_string("AccountName=myacct;EndpointSuffix=core.chinacloudapi.cn;"
                                        "DefaultEndpointsProtocol=http")
              .value()
              .blob_endpoint == "http://myacct.blob.core.chinacloudapi.cn");
}

TEST_CASE("connection_string: keys are case-insensitive; whitespace, empty segments and trailing ';' are fine") {
    const auto cs = azmi::parse_connection_string(" accountname = myacct ;;ACCOUNTKEY=" + std::string(test_key) +
                                                  ";defaultendpointsprotocol=HTTPS;endpointsuffix=Core.Windows.Net;\n")
                        .value();
    CHECK(cs.account_name == "myacct");
    CHECK(cs.account_key == test_key);  // split at the first '=': the padding stays
    CHECK(cs.blob_endpoint == "https://myacct.blob.core.windows.net");
}

TEST_CASE("connection_string: BlobEndpoint overrides and is normalised; other services' keys are ignored") {
    const auto cs = azmi::parse_connection_string(
                        "DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey=" + std::string(test_key) +
                        ";BlobEndpoint=https://MyAcct.privatelink.blob.core.windows.net/;"
                        "QueueEndpoint=https://myacct.queue.core.windows.net/;TableEndpoint=x;FileEndpoint=y")
                        .value();
    CHECK(cs.blob_endpoint == "https://myacct.privatelink.blob.core.windows.net");
    CHECK(cs.account_name == "myacct");

    const auto path_style =
        azmi::parse_connection_string("AccountName=devstoreaccount1;AccountKey=" + std::string(dev_key) +
                                      ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1")
            .value();
    CHECK(path_style.blob_endpoint == "http://127.0.0.1:10000/devstoreaccount1");
}

TEST_CASE("connection_string: SharedAccessSignature with BlobEndpoint; account read from the endpoint") {
    const auto cs = azmi::parse_connection_string(
                        "BlobEndpoint=https://myacct.blob.core.windows.net;"
                        "SharedAccessSignature=?sv=2021-12-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=abc%2Bdef%3D")
                        .value();
    CHECK(cs.sas_token == "sv=2021-12-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=abc%2Bdef%3D");
    CHECK(cs.account_name == "myacct");
    CHECK(cs.account_key.empty());
    CHECK(cs.blob_endpoint == "https://myacct.blob.core.windows.net");

    const auto emulator = azmi::parse_connection_string(
                              "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1/;SharedAccessSignature=sv=1&sig=x")
                              .value();
    CHECK(emulator.account_name == "devstoreaccount1");
    CHECK(emulator.blob_endpoint == "http://127.0.0.1:10000/devstoreaccount1");

    const auto custom_domain =
        azmi::parse_connection_string("BlobEndpoint=https://files.contoso.com;SharedAccessSignature=sv=1&sig=x").value();
    CHECK(custom_domain.account_name.empty());
}

TEST_CASE("connection_string: UseDevelopmentStorage=true expands to the Azurite account") {
    const auto cs = azmi::parse_connection_string("UseDevelopmentStorage=true").value();
    CHECK(cs.account_name == "devstoreaccount1");
    CHECK(cs.account_key == dev_key);
    CHECK(cs.blob_endpoint == "http://127.0.0.1:10000/devstoreaccount1");
    CHECK(cs.sas_token.empty());

    const auto proxied =
        azmi::parse_connection_string("usedevelopmentstorage=TRUE;DevelopmentStorageProxyUri=http://ipv4.fiddler:8888/")
            .value();
    CHECK(proxied.blob_endpoint == "http://ipv4.fiddler:8888/devstoreaccount1");
    CHECK(proxied.account_name == "devstoreaccount1");

    CHECK(azmi::parse_connection_string("UseDevelopmentStorage=false;AccountName=myacct").value().blob_endpoint ==
          "https://myacct.blob.core.windows.net");
}

TEST_CASE("connection_string: UseDevelopmentStorage misuse is refused") {
    CHECK(parse_error("UseDevelopmentStorage=yes").message.find("UseDevelopmentStorage") != std::string::npos);
    CHECK(parse_error("UseDevelopmentStorage=true;AccountName=myacct").message.find("AccountName") !=
          std::string::npos);
    CHECK(parse_error("DevelopmentStorageProxyUri=http://127.0.0.1:8888").message.find("UseDevelopmentStorage") !=
          std::string::npos);
    CHECK(parse_error("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://u:p@proxy:8888")
              .message.find("DevelopmentStorageProxyUri") != std::string::npos);
}

TEST_CASE("connection_string: EndpointSuffix injection is refused") {
    for (const char* suffix : {"evil.invalid/x?", "evil.invalid#", "evil.invalid:443", "x@evil.invalid", "",
                               "evil..invalid", ".evil.invalid", "evil.invalid.", "-evil.invalid", "evil invalid"}) {
        CAPTURE(suffix);
        const auto e = parse_error(std::string("AccountName=myacct;EndpointSuffix=") + suffix);
        CHECK(e.message.find("EndpointSuffix") != std::string::npos);
    }
}

TEST_CASE("connection_string: AccountName injection and bad names are refused") {
    for (const char* name : {"evil.invalid#", "x@evil.invalid/", "evil.invalid/?", "MyAcct", "ab", "a-b-c",
                             "abcdefghijklmnopqrstuvwxy"}) {
        CAPTURE(name);
        CHECK(parse_error(std::string("AccountName=") + name).message.find("AccountName") != std::string::npos);
    }
}

TEST_CASE("connection_string: bad BlobEndpoint values are refused") {
    struct bad_case {
        const char* value;
        const char* because;
    };
    for (const bad_case& c : {bad_case{"https://user:pass@myacct.blob.core.windows.net", "userinfo"},
                              bad_case{"https://evil.invalid@myacct.blob.core.windows.net", "userinfo"},
                              bad_case{"https://myacct.blob.core.windows.net/?comp=list", "query"},
                              bad_case{"https://myacct.blob.core.windows.net/#frag", "fragment"},
                              bad_case{"ftp://myacct.blob.core.windows.net", "scheme"},
                              bad_case{"myacct.blob.core.windows.net", "not absolute"},
                              bad_case{"", "empty"}}) {
        CAPTURE(c.because);
        const auto e = parse_error(std::string("AccountName=myacct;BlobEndpoint=") + c.value);
        CHECK(e.message.find("BlobEndpoint") != std::string::npos);
    }
}

TEST_CASE("connection_string: missing AccountName is refused when the endpoint needs it") {
    CHECK(parse_error("AccountKey=" + std::string(test_key)).message.find("AccountName") != std::string::npos);
    CHECK(parse_error("DefaultEndpointsProtocol=https;EndpointSuffix=core.windows.net").message.find("AccountName") !=
          std::string::npos);
    CHECK(parse_error("BlobEndpoint=https://files.contoso.com;AccountKey=" + std::string(test_key))
              .message.find("AccountName") != std::string::npos);
}

TEST_CASE("connection_string: structural errors name the key or segment") {
    CHECK(parse_error("AccountName=myacct;garbage").message.find("segment 2") != std::string::npos);
    CHECK(parse_error("AccountName=a1b;AccountName=a2b").message.find("AccountName") != std::string::npos);
    CHECK(parse_error("AccountName=myacct;Endpoint=sb://ns.servicebus.windows.net/").message.find("unknown key") !=
          std::string::npos);
    CHECK(parse_error("AccountName=myacct;DefaultEndpointsProtocol=ftp").message.find("DefaultEndpointsProtocol") !=
          std::string::npos);
    CHECK(parse_error("AccountName=myacct;SharedAccessSignature=").message.find("SharedAccessSignature") !=
          std::string::npos);
    CHECK(parse_error("AccountName=myacct;AccountKey=").message.find("AccountKey") != std::string::npos);
}

TEST_CASE("connection_string: messages never contain the AccountKey or SAS values") {
    const std::string bad_key = "c2VjcmV0LWtleS1tYXRlcmlhbA*=";  // '*' is not base64
    auto e = parse_error("AccountName=myacct;AccountKey=" + bad_key);
    CHECK(e.message.find("AccountKey") != std::string::npos);
    CHECK(e.message.find("c2VjcmV0") == std::string::npos);
    CHECK(e.to_string().find("c2VjcmV0") == std::string::npos);

    e = parse_error("AccountName=myacct;SharedAccessSignature=sv=1&sig=c2VjcmV0 c2ln");
    CHECK(e.message.find("SharedAccessSignature") != std::string::npos);
    CHECK(e.message.find("c2VjcmV0") == std::string::npos);

    // A key broken by a stray ';' leaves a fragment that looks like a segment: report its number only.
    e = parse_error("AccountName=myacct;AccountKey=" + std::string(test_key.substr(0, 20)) + ";" +
                    std::string(test_key.substr(20, 10)));
    CHECK(e.message.find(std::string(test_key.substr(20, 10))) == std::string::npos);

    // Other errors in a string that holds a valid key must not leak it either.
    e = parse_error("AccountKey=" + std::string(test_key) + ";AccountName=BAD");
    CHECK(e.message.find(std::string(test_key)) == std::string::npos);
}

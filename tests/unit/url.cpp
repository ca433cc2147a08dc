// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/url.hpp>  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <string>       // string
#include <string_view>  // string_view

using namespace std::string_literals;

namespace {

/// Parses `url`, which must be refused with invalid_argument and a message containing `why`.
void check_rejected(const std::string& url, const std::string& why) {
    CAPTURE(url);
    const auto r = azmi::parse_url(url);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == azmi::errc::invalid_argument);
    CAPTURE(r.error().message);
    CHECK(r.error().message.find(why) != std::string::npos);
}

azmi::url_parts parsed(const std::string& url) {
    CAPTURE(url);
    auto r = azmi::parse_url(url);
    if (!r) FAIL_CHECK(r.error().message);
    REQUIRE(r.has_value());
    return std::move(r).value();
}

}  // namespace

TEST_CASE("url: percent_encode keeps RFC 3986 unreserved characters") {
    const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    CHECK(azmi::percent_encode(unreserved) == unreserved);
    CHECK(azmi::percent_encode("").empty());
}

TEST_CASE("url: percent_encode encodes space as %20, never +") {
    CHECK(azmi::percent_encode(" ") == "%20");
    CHECK(azmi::percent_encode("a b  c") == "a%20b%20%20c");
}

TEST_CASE("url: percent_encode encodes '/' unless it is in keep") {
    CHECK(azmi::percent_encode("dir/file") == "dir%2Ffile");
    CHECK(azmi::percent_encode("dir/file", "/") == "dir/file");
    // keep adds to the unreserved set; it does not remove anything.
    CHECK(azmi::percent_encode("a-b/c d", "/") == "a-b/c%20d");
    CHECK(azmi::percent_encode("a:b@c", ":@") == "a:b@c");
}

TEST_CASE("url: percent_encode encodes UTF-8 bytes (REST-SPEC TV1 blob name)") {
    CHECK(azmi::percent_encode("h\xC3\xA9llo w\xC3\xB6rld") == "h%C3%A9llo%20w%C3%B6rld");
    CHECK(azmi::percent_encode("dir/h\xC3\xA9llo w\xC3\xB6rld.txt", "/") == "dir/h%C3%A9llo%20w%C3%B6rld.txt");
}

TEST_CASE("url: percent_encode encodes the characters that would change a URL's meaning") {
    CHECK(azmi::percent_encode("%") == "%25");
    CHECK(azmi::percent_encode("?") == "%3F");
    CHECK(azmi::percent_encode("#") == "%23");
    CHECK(azmi::percent_encode("+") == "%2B");
    CHECK(azmi::percent_encode("&=") == "%26%3D");
    CHECK(azmi::percent_encode("@:") == "%40%3A");
    CHECK(azmi::percent_encode("a+b.txt") == "a%2Bb.txt");  // REST-SPEC TV3
    CHECK(azmi::percent_encode("x?comp=list#frag") == "x%3Fcomp%3Dlist%23frag");
}

TEST_CASE("url: percent_encode uses uppercase hex and handles NUL, controls and 0xFF") {
    CHECK(azmi::percent_encode(std::string_view("a\0b", 3)) == "a%00b");
    CHECK(azmi::percent_encode("\x01\x1F\x7F") == "%01%1F%7F");
    CHECK(azmi::percent_encode("\xFF\xAB") == "%FF%AB");
}

TEST_CASE("url: percent_decode reverses percent_encode for every byte") {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    const std::string encoded = azmi::percent_encode(all);
    const auto decoded = azmi::percent_decode(encoded);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == all);

    for (const std::string text : {"", "plain", "h\xC3\xA9llo w\xC3\xB6rld", "100% sure?", "a+b#c"}) {
        CAPTURE(text);
        const auto round = azmi::percent_decode(azmi::percent_encode(text));
        REQUIRE(round.has_value());
        CHECK(*round == text);
    }
}

TEST_CASE("url: percent_decode accepts lowercase hex and leaves '+' alone") {
    CHECK(azmi::percent_decode("h%c3%a9llo").value() == "h\xC3\xA9llo");
    CHECK(azmi::percent_decode("a+b").value() == "a+b");  // '+' is not a space in a path
    CHECK(azmi::percent_decode("%41%42c").value() == "ABc");
    CHECK(azmi::percent_decode("%2525").value() == "%25");  // decodes once only
}

TEST_CASE("url: percent_decode rejects truncated and invalid escapes") {
    for (const std::string text : {"%", "%4", "abc%", "abc%4", "%%", "%zz", "%G1", "%1G", "%-1", "%4 ", "ok%2Fthen%x1"}) {
        CAPTURE(text);
        const auto r = azmi::percent_decode(text);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == azmi::errc::invalid_argument);
        CHECK(r.error().message.find("percent escape") != std::string::npos);
    }
    // The message points at where the bad escape starts.
    CHECK(azmi::percent_decode("abc%").error().message.find("offset 3") != std::string::npos);
    CHECK(azmi::percent_decode("ab%zz").error().message.find("offset 2") != std::string::npos);
}

TEST_CASE("url: append_query adds '?' first, then '&', and encodes names and values") {
    std::string url = "https://acct.blob.core.windows.net/c";
    azmi::append_query(url, "restype", "container");
    CHECK(url == "https://acct.blob.core.windows.net/c?restype=container");
    azmi::append_query(url, "prefix", "dir/");
    CHECK(url == "https://acct.blob.core.windows.net/c?restype=container&prefix=dir%2F");
    azmi::append_query(url, "a b&c=", "x=y&z #");
    CHECK(url == "https://acct.blob.core.windows.net/c?restype=container&prefix=dir%2F&a%20b%26c%3D=x%3Dy%26z%20%23");

    std::string empty_value = "http://h/";
    azmi::append_query(empty_value, "flag", "");
    CHECK(empty_value == "http://h/?flag=");
}

TEST_CASE("url: append_query builds REST-SPEC TV2's List Blobs URL byte for byte") {
    std::string url = "http://127.0.0.1:10000/devstoreaccount1/mycontainer";
    azmi::append_query(url, "restype", "container");
    azmi::append_query(url, "comp", "list");
    azmi::append_query(url, "prefix", "dir/");
    azmi::append_query(url, "delimiter", "/");
    azmi::append_query(url, "maxresults", "2");
    azmi::append_query(url, "marker", "2!104!MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-");
    CHECK(url ==
          "http://127.0.0.1:10000/devstoreaccount1/mycontainer?restype=container&comp=list&prefix=dir%2F"
          "&delimiter=%2F&maxresults=2&marker=2%21104%21MDAwMDE0IWRpci9maWxlLTAwMi50eHQ-");
}

TEST_CASE("url: parse_url splits scheme, host, port, path and query") {
    const auto u = parsed("https://acct.blob.core.windows.net/c/dir%2Fb.txt?comp=list&prefix=a");
    CHECK(u.scheme == "https");
    CHECK(u.host == "acct.blob.core.windows.net");
    CHECK(u.port == 443);
    CHECK_FALSE(u.explicit_port);
    CHECK(u.path == "/c/dir%2Fb.txt");  // kept encoded, as sent
    CHECK(u.has_query);
    CHECK(u.query == "comp=list&prefix=a");
    CHECK(u.origin() == "https://acct.blob.core.windows.net");
}

TEST_CASE("url: parse_url fills in default ports and keeps explicit ones") {
    const auto http = parsed("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01");
    CHECK(http.scheme == "http");
    CHECK(http.port == 80);
    CHECK_FALSE(http.explicit_port);
    CHECK(http.origin() == "http://169.254.169.254");

    const auto azurite = parsed("http://127.0.0.1:10000/devstoreaccount1");
    CHECK(azurite.host == "127.0.0.1");
    CHECK(azurite.port == 10000);
    CHECK(azurite.explicit_port);
    CHECK(azurite.path == "/devstoreaccount1");
    CHECK_FALSE(azurite.has_query);
    CHECK(azurite.query.empty());
    CHECK(azurite.origin() == "http://127.0.0.1:10000");

    const auto explicit_default = parsed("https://h:443/");
    CHECK(explicit_default.port == 443);
    CHECK(explicit_default.explicit_port);
    CHECK(explicit_default.origin() == "https://h:443");  // the port is kept as written

    CHECK(parsed("https://h:1/").port == 1);
    CHECK(parsed("https://h:65535/").port == 65535);
}

TEST_CASE("url: parse_url lowercases scheme and host but not path or query") {
    const auto u = parsed("HTTPS://Acct.BLOB.Core.Windows.NET:8443/Container/Blob.TXT?Prefix=ABC");
    CHECK(u.scheme == "https");
    CHECK(u.host == "acct.blob.core.windows.net");
    CHECK(u.port == 8443);
    CHECK(u.path == "/Container/Blob.TXT");
    CHECK(u.query == "Prefix=ABC");
    CHECK(u.origin() == "https://acct.blob.core.windows.net:8443");
    CHECK(parsed("Http://LOCALHOST/").scheme == "http");
}

TEST_CASE("url: parse_url defaults an empty path to '/'") {
    const auto bare = parsed("https://example.com");
    CHECK(bare.path == "/");
    CHECK_FALSE(bare.has_query);

    const auto query_only = parsed("https://example.com?a=1");
    CHECK(query_only.path == "/");
    CHECK(query_only.has_query);
    CHECK(query_only.query == "a=1");

    const auto empty_query = parsed("https://example.com/x?");
    CHECK(empty_query.path == "/x");
    CHECK(empty_query.has_query);  // a '?' with nothing after it is still a query
    CHECK(empty_query.query.empty());

    const auto port_only = parsed("http://example.com:8080");
    CHECK(port_only.port == 8080);
    CHECK(port_only.path == "/");
}

TEST_CASE("url: parse_url accepts IPv6 literals with and without a port") {
    const auto with_port = parsed("http://[::1]:40342/metadata/identity/oauth2/token");
    CHECK(with_port.host == "[::1]");
    CHECK(with_port.port == 40342);
    CHECK(with_port.explicit_port);
    CHECK(with_port.path == "/metadata/identity/oauth2/token");
    CHECK(with_port.origin() == "http://[::1]:40342");

    const auto no_port = parsed("https://[FE80::1:A]");
    CHECK(no_port.host == "[fe80::1:a]");
    CHECK(no_port.port == 443);
    CHECK_FALSE(no_port.explicit_port);
    CHECK(no_port.path == "/");

    CHECK(parsed("http://[::ffff:127.0.0.1]/").host == "[::ffff:127.0.0.1]");
}

TEST_CASE("url: parse_url rejects the REST-SPEC 2.4 account injections that hide the real host") {
    // account value "evil.invalid#"
    check_rejected("https://evil.invalid#.blob.core.windows.net/c/b", "fragment");
    // account value "x@evil.invalid/"
    check_rejected("https://x@evil.invalid/.blob.core.windows.net/c/b", "user information");
    // Userinfo with a password, and with nothing before the '@'.
    check_rejected("https://user:pass@evil.invalid/", "user information");
    check_rejected("https://@evil.invalid/", "user information");
}

TEST_CASE("url: REST-SPEC 2.4 injections that are valid URLs parse to host evil.invalid") {
    // These two are well-formed URLs, so no parser can refuse them: the defence is that the
    // caller compares the parsed host with the one it meant to build.
    const auto query = parsed("https://evil.invalid/?.blob.core.windows.net/c/b");  // account "evil.invalid/?"
    CHECK(query.host == "evil.invalid");
    CHECK(query.host != "acct.blob.core.windows.net");
    CHECK(query.path == "/");
    CHECK(query.query == ".blob.core.windows.net/c/b");

    const auto port = parsed("https://evil.invalid:443/x?.blob.core.windows.net/c/b");  // "evil.invalid:443/x?"
    CHECK(port.host == "evil.invalid");
    CHECK(port.port == 443);
    CHECK(port.path == "/x");
    CHECK(port.query == ".blob.core.windows.net/c/b");
}

TEST_CASE("url: parse_url takes '@' and ':' in the path as path characters") {
    const auto u = parsed("https://acct.blob.core.windows.net/c/user@host:1");
    CHECK(u.host == "acct.blob.core.windows.net");
    CHECK(u.port == 443);
    CHECK(u.path == "/c/user@host:1");
}

TEST_CASE("url: parse_url rejects whitespace and control characters anywhere") {
    for (const std::string& url :
         {"https://h/a b"s, "https://h/a\tb"s, "https://h/a\nb"s, "https://h/a\rb"s, "https://h/ "s,
          "https://h /"s, "https://h/\x01"s, "https://h/\x1F"s, "https://h/\x7F"s, "https://h/a\0b"s}) {
        check_rejected(url, "whitespace or a control character");
    }
    // CR LF in a URL would let an attacker inject request headers.
    check_rejected("https://h/\r\nAuthorization: x", "whitespace or a control character");
    // Control characters are checked before the scheme, so no message can quote one back.
    check_rejected(" https://h/", "whitespace or a control character");
    check_rejected("\thttps://h/", "whitespace or a control character");
}

TEST_CASE("url: parse_url rejects bad ports") {
    for (const std::string url : {"https://h:0/", "https://h:65536/", "https://h:99999/", "https://h:123456/", "https://h:abc/",
                            "https://h:/", "https://h:", "https://h:?q", "https://h:-1/", "https://h:+80/", "https://h:8o/",
                            "http://[::1]:/", "http://[::1]:0/", "http://[::1]:70000/"}) {
        check_rejected(url, "port");
    }
    // A second colon ends up in the host, which refuses it.
    check_rejected("https://h:1:2/", "host");
}

TEST_CASE("url: parse_url accepts only http and https") {
    check_rejected("ftp://h/file", "scheme must be http or https");
    check_rejected("file://h/etc/passwd", "scheme must be http or https");
    check_rejected("httpx://h/", "scheme must be http or https");
    check_rejected("javascript://h/", "scheme must be http or https");
    check_rejected("://h/", "scheme must be http or https");
    check_rejected("h/path", "no scheme");
    check_rejected("//h/path", "no scheme");
    check_rejected("https:/h/path", "no scheme");
    check_rejected("", "no scheme");
}

TEST_CASE("url: parse_url rejects an empty or invalid host") {
    check_rejected("https://", "empty host");
    check_rejected("https:///path", "empty host");
    check_rejected("https://?q=1", "empty host");
    check_rejected("https://:443/", "empty host");
    check_rejected("https://a_b.example.com/", "host");
    check_rejected("https://a~b/", "host");
    check_rejected("https://ev!l.com/", "host");
    check_rejected("https://a%2eb/", "host");
    check_rejected("https://evil.invalid\\.blob.core.windows.net/c", "host");  // backslash trick
    check_rejected("https://\xC3\xA9vil.com/", "host");                         // raw non-ASCII
}

TEST_CASE("url: parse_url rejects malformed IPv6 literals") {
    check_rejected("http://[::1/", "unterminated IPv6");
    check_rejected("http://[::1]x/", "junk after the IPv6");
    check_rejected("http://[::1]80/", "junk after the IPv6");
    check_rejected("http://[::g]/", "invalid IPv6");
    check_rejected("http://[evil.invalid]/", "invalid IPv6");
}

TEST_CASE("url: is_loopback is true only for 127.0.0.0/8, localhost and [::1]") {
    for (const std::string url : {"http://127.0.0.1/", "http://127.5.6.7:8080/x", "http://localhost:40342/", "http://LocalHost/",
                            "http://[::1]:10000/", "http://127.255.255.255/"}) {
        CAPTURE(url);
        CHECK(parsed(url).is_loopback());
    }
    for (const std::string url : {"http://128.0.0.1/", "http://127.0.0.1.evil.com/", "http://10.0.0.1/", "http://169.254.169.254/",
                            "http://localhost.evil.com/", "http://evil-localhost/", "http://[::2]/", "http://127.evil/",
                            "http://1127.0.0.1/", "https://acct.blob.core.windows.net/"}) {
        CAPTURE(url);
        CHECK_FALSE(parsed(url).is_loopback());
    }
}

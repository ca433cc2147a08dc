// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Redaction: the one place that removes secrets from text before it becomes part of an
/// error message. Used wherever server text (which may echo what we sent) or a URL (which may
/// hold a SAS signature) is quoted: the identity credentials and the storage pipeline.

#include <azmi/version.hpp>

#include <cstddef>           // size_t
#include <initializer_list>  // initializer_list
#include <string>            // string
#include <string_view>       // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

/// `text` with the value of every `sig=` query parameter replaced by `REDACTED`, for any
/// message that could show a SAS token.
inline std::string redact_sas(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        // At a parameter boundary: start, '?', '&', or any non-name character (a message may
        // quote "…sig=…" after a space or a quote).
        const char before = i == 0 ? '&' : text[i - 1];
        const bool at_param = !((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
                                (before >= '0' && before <= '9') || before == '_' || before == '-');
        if (at_param && text.substr(i, 4) == "sig=") {
            out += "sig=REDACTED";
            i += 4;
            // A signature is base64, maybe percent-encoded: stop at the first other character.
            while (i < text.size()) {
                const char c = text[i];
                const bool sig_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                      c == '%' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
                if (!sig_char) break;
                ++i;
            }
            continue;
        }
        out += text[i++];
    }
    return out;
}

/// `text` with every occurrence of each non-empty secret replaced by "REDACTED" and any SAS
/// `sig=` value redacted: server messages can echo what we sent (e.g. the Shared Key
/// "MAC signature found in the HTTP request '…'").
inline std::string scrub_secrets(std::string text, std::initializer_list<std::string_view> secrets) {
    for (std::string_view secret : secrets) {
        if (secret.size() < 4) continue;  // too short to be a secret; would mangle the text
        for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 8))
            text.replace(at, secret.size(), "REDACTED");
    }
    return redact_sas(text);
}

}  // namespace detail
AZMI_END_NAMESPACE

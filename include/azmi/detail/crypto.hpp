// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Hashes, HMAC and base64 on top of OpenSSL 3's EVP interfaces. This is the ONLY azmi header
/// that includes OpenSSL; everything else reaches OpenSSL through it.
///
/// The digest and MAC functions cannot fail for valid inputs once OpenSSL has its default
/// provider. If it has not (e.g. a FIPS-only configuration without MD5), they throw
/// `azmi::exception` with `errc::not_configured` rather than return a wrong checksum.

#include <azmi/detail/base64.hpp>
#include <azmi/error.hpp>
#include <azmi/version.hpp>

#include <openssl/evp.h>

#include <cstddef>      // size_t
#include <memory>       // unique_ptr
#include <new>          // bad_alloc
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void throw_crypto_failure(const char* what) {
    throw exception(error(errc::not_configured,
                          std::string("OpenSSL could not ") + what +
                              " (is the default provider unavailable, e.g. a FIPS-only configuration?)"));
}

/// Lowercase hex of `bytes`.
inline std::string hex_encode(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 0x0F];
    }
    return out;
}

/// A streaming message digest owning one `EVP_MD_CTX`. After `final_raw()` the context is
/// re-initialised, so one hasher can digest several messages in turn. A moved-from hasher
/// is empty and starts a fresh digest on its next use.
class evp_hasher {
public:
    evp_hasher(const EVP_MD* (*algorithm)(), const char* name) : algorithm_(algorithm), name_(name) { reset(); }

    void update(std::string_view data) {
        if (!ctx_) reset();
        if (!data.empty() && EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1)
            throw_crypto_failure(name_);
    }

    /// The raw digest of everything passed to `update` since construction or the last final.
    std::string final_raw() {
        if (!ctx_) reset();
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        if (EVP_DigestFinal_ex(ctx_.get(), digest, &size) != 1) throw_crypto_failure(name_);
        reset();
        return std::string(reinterpret_cast<const char*>(digest), size);
    }

private:
    struct ctx_deleter {
        void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
    };

    void reset() {
        if (!ctx_) {
            ctx_.reset(EVP_MD_CTX_new());
            if (!ctx_) throw std::bad_alloc();
        }
        if (EVP_DigestInit_ex(ctx_.get(), algorithm_(), nullptr) != 1) throw_crypto_failure(name_);
    }

    const EVP_MD* (*algorithm_)();
    const char* name_;
    std::unique_ptr<EVP_MD_CTX, ctx_deleter> ctx_;
};

/// Streaming MD5, for `Content-MD5` checks (integrity, not security). Movable, not copyable.
class md5_hasher {
public:
    md5_hasher() : impl_(&EVP_md5, "compute MD5") {}
    void update(std::string_view data) { impl_.update(data); }
    /// The 16 raw digest bytes; resets the hasher.
    std::string final_raw() { return impl_.final_raw(); }
    /// Base64 of the digest, the `Content-MD5` header form; resets the hasher.
    std::string final_base64() { return base64_encode(impl_.final_raw()); }

private:
    evp_hasher impl_;
};

/// Streaming SHA-256. Movable, not copyable.
class sha256_hasher {
public:
    sha256_hasher() : impl_(&EVP_sha256, "compute SHA-256") {}
    void update(std::string_view data) { impl_.update(data); }
    /// The 32 raw digest bytes; resets the hasher.
    std::string final_raw() { return impl_.final_raw(); }
    /// Lowercase hex of the digest; resets the hasher.
    std::string final_hex() { return hex_encode(impl_.final_raw()); }
    /// Base64 of the digest; resets the hasher.
    std::string final_base64() { return base64_encode(impl_.final_raw()); }

private:
    evp_hasher impl_;
};

/// Base64 MD5 of `data`, as in `Content-MD5`.
inline std::string md5_base64(std::string_view data) {
    md5_hasher hasher;
    hasher.update(data);
    return hasher.final_base64();
}

/// Lowercase hex SHA-256 of `data`.
inline std::string sha256_hex(std::string_view data) {
    sha256_hasher hasher;
    hasher.update(data);
    return hasher.final_hex();
}

/// The raw 32-byte HMAC-SHA256 of `message` under `key` (RFC 2104), via OpenSSL 3's `EVP_MAC`.
inline std::string hmac_sha256(std::string_view key, std::string_view message) {
    // EVP_Q_mac wants non-null pointers even for empty inputs.
    static const unsigned char empty = 0;
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t size = 0;
    const void* key_data = key.empty() ? static_cast<const void*>(&empty) : key.data();
    const auto* message_data =
        message.empty() ? &empty : reinterpret_cast<const unsigned char*>(message.data());
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_data, key.size(), message_data, message.size(), mac,
                  sizeof mac, &size) == nullptr)
        throw_crypto_failure("compute HMAC-SHA256");
    return std::string(reinterpret_cast<const char*>(mac), size);
}

}  // namespace detail
AZMI_END_NAMESPACE

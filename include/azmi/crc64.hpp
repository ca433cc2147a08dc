// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Azure Storage's CRC64 (`x-ms-content-crc64`), the CRC-64/NVME catalogue entry: reflected,
/// polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones (REST-SPEC §1.4).
///
/// The blob reader checks gigabytes with it, so it runs slicing-by-16 over 16 tables of 256
/// entries (32 KiB) that are built at compile time (impl/crc64.ipp). Portable C++; no OpenSSL.

#include <azmi/version.hpp>

#include <cstdint>      // uint64_t
#include <string>       // string
#include <string_view>  // string_view

AZMI_BEGIN_NAMESPACE
namespace detail {

/// The reflected polynomial: the bit reversal of 0xAD93D23594C935A9.
inline constexpr std::uint64_t crc64_polynomial = 0x9A6C9329AC4BC9B5ULL;

}  // namespace detail

/// Running Azure CRC64 over data fed in pieces; any split gives the same value as one call.
///
/// Example:
///     azmi::crc64 crc;
///     crc.update(chunk1); crc.update(chunk2);
///     bool ok = crc.base64() == response.headers.value_or("x-ms-content-crc64", "");
///
/// Not synchronised: use one object per thread or stream.
class crc64 {
public:
    /// The CRC of no data (0).
    crc64() noexcept = default;
    /// Continues from `previous`, the `value()` of the data before (REST-SPEC §1.4 streaming).
    explicit crc64(std::uint64_t previous) noexcept : value_(previous) {}

    /// Appends `data` to the checksummed stream. One call per buffer: the byte loop lives
    /// out of line, next to the tables.
    void update(std::string_view data) noexcept;

    /// The CRC of everything passed to `update` (the catalogue's "check" form).
    std::uint64_t value() const noexcept { return value_; }

    /// The `x-ms-content-crc64` header form: base64 of the 8 bytes in little-endian order.
    std::string base64() const;

    /// Starts over, as if newly constructed.
    void reset() noexcept { value_ = 0; }

    /// The CRC of `data` in one call.
    static std::uint64_t compute(std::string_view data) noexcept { return compute(data, 0); }

    /// The CRC of (the data whose CRC is `previous`) followed by `data`.
    static std::uint64_t compute(std::string_view data, std::uint64_t previous) noexcept {
        crc64 crc(previous);
        crc.update(data);
        return crc.value();
    }

private:
    std::uint64_t value_ = 0;
};

AZMI_END_NAMESPACE

#if AZMI_HEADER_ONLY
#include <azmi/impl/crc64.ipp>
#endif

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The caller's string or vector as the download engine sees it: reserved or sized to the blob,
/// then written in place. Kept free of the download machinery so that `blob_reader`'s
/// `read_to_vector<Byte>` template can hand any byte container to the out-of-line download code
/// without the engine's headers (or a copy of the data).

#include <azmi/version.hpp>

#include <cstddef>  // size_t

AZMI_BEGIN_NAMESPACE
namespace detail {

/// A contiguous byte container the download sizes and then fills through the returned pointer;
/// a few virtual calls per download, none per chunk.
///
/// `reserve` then `resize` up to the reserved size keeps the bytes where they are: guaranteed for
/// `std::vector`, and what every standard library's `std::string` does (growing within capacity
/// never reallocates). The download relies on it to write into the first bytes while later ones
/// are still being sized.
class growable_buffer {
public:
    virtual ~growable_buffer() = default;
    /// The most bytes the container can hold.
    virtual std::size_t max_size() const noexcept = 0;
    /// Makes room for `size` bytes without changing the size (nor touching the new memory).
    /// Throws what the container's `reserve` throws (`std::bad_alloc`, `std::length_error`).
    virtual void reserve(std::size_t size) = 0;
    /// Resizes the container to `size` bytes and returns its first byte (may be null when `size`
    /// is 0). Throws what the container's `resize` throws (`std::bad_alloc`, `std::length_error`).
    virtual char* resize(std::size_t size) = 0;
};

/// A `std::string` or a `std::vector` of `char`, `unsigned char` or `std::byte`.
template <class Container>
class container_buffer final : public growable_buffer {
public:
    explicit container_buffer(Container& out) noexcept : out_(out) {}
    std::size_t max_size() const noexcept override { return out_.max_size(); }
    void reserve(std::size_t size) override { out_.reserve(size); }
    char* resize(std::size_t size) override {
        out_.resize(size);
        return reinterpret_cast<char*>(out_.data());
    }

private:
    Container& out_;
};

}  // namespace detail
AZMI_END_NAMESPACE

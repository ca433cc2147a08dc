// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The places a download can write to: a growable container (string, vector), a caller's
/// fixed buffer, a file (through a temporary in the same directory, renamed on success) and
/// a sink that sees the bytes in order. POSIX file I/O lives here and nowhere else.

#include <azmi/detail/download.hpp>
#include <azmi/detail/growable_buffer.hpp>
#include <azmi/detail/uuid.hpp>
#include <azmi/error.hpp>
#include <azmi/transport.hpp>
#include <azmi/version.hpp>

#include <algorithm>           // min
#include <atomic>              // atomic
#include <cerrno>              // errno, EINTR, EEXIST
#include <condition_variable>  // condition_variable
#include <cstdint>             // uint64_t
#include <cstring>             // memcpy, strerror_r
#include <exception>           // exception_ptr
#include <filesystem>          // path
#include <functional>          // function
#include <limits>              // numeric_limits
#include <mutex>               // mutex, lock_guard, unique_lock
#include <new>                 // bad_alloc
#include <string>              // string
#include <string_view>         // string_view
#include <system_error>        // error_code, generic_category, system_error
#include <thread>              // thread

#include <fcntl.h>     // open, sync_file_range
#include <sys/stat.h>  // stat
#include <unistd.h>    // pwrite, pread, fsync, close, unlink, link, ftruncate

AZMI_BEGIN_NAMESPACE
namespace detail {

/// A target that is one block of memory: bytes are copied straight to their place, from any
/// thread, and read back in place for the whole-blob hash. `open` sets `data_` and `ready_`.
class memory_target : public download_target {
public:
    bool random_access() const noexcept final { return true; }
    result<void> write_at(std::uint64_t offset, std::string_view data) final {
        if (data.empty()) return {};
        const std::uint64_t end = offset + data.size();
        if (end > ready_.load(std::memory_order_acquire)) {
            if (auto ok = wait_until_ready(end); !ok) return ok;
        }
        std::memcpy(data_ + offset, data.data(), data.size());
        return {};
    }
    result<void> read_back(std::uint64_t offset, std::uint64_t length,
                           const std::function<void(std::string_view)>& consume) final {
        consume(std::string_view(data_ + offset, static_cast<std::size_t>(length)));
        return {};
    }

protected:
    memory_target() = default;
    explicit memory_target(char* data) noexcept : data_(data) {}

    /// Blocks until the first `end` bytes may be written, or says why they never will. Only a
    /// target still sizing itself has anything to wait for.
    virtual result<void> wait_until_ready(std::uint64_t end) {
        return error(errc::io, "a write of " + std::to_string(end) + " bytes past the target's end");
    }

    char* data_ = nullptr;                 // the target's bytes, valid from `open` on
    std::atomic<std::uint64_t> ready_{0};  // how many of them may be written; only grows
};

/// A string, vector<char>, vector<unsigned char> or vector<std::byte> (behind `growable_buffer`).
///
/// A fresh blob-sized container costs a zero fill and a page fault per page, about 0.4 ms per
/// MiB: 100 ms before the first byte of a 256 MiB blob if done in `open`. So from
/// `background_sizing_from` bytes on, `open` reserves the whole blob, sizes the first step, and a
/// helper thread grows the container a step at a time while the transfer runs; a write that
/// overtakes it waits. Growing within the reserved capacity keeps the bytes in place (see
/// `growable_buffer`), so writes into sized bytes never race with the growth beyond them.
class container_target final : public memory_target {
public:
    static constexpr std::size_t background_sizing_from = std::size_t(8) << 20;
    static constexpr std::size_t sizing_step = std::size_t(1) << 20;

    explicit container_target(growable_buffer& out) noexcept : out_(out) {}
    container_target(const container_target&) = delete;
    container_target& operator=(const container_target&) = delete;
    ~container_target() override { stop_sizing(); }

    result<void> open(std::uint64_t size) override {
        if (size > static_cast<std::uint64_t>(out_.max_size()) ||
            size > static_cast<std::uint64_t>(std::numeric_limits<std::size_t>::max()))
            return error(errc::io, "the blob (" + std::to_string(size) + " bytes) does not fit in memory");
        size_ = static_cast<std::size_t>(size);
        std::size_t sized = size_;
        try {
            if (size_ >= background_sizing_from) {
                out_.reserve(size_);
                sized = sizing_step;
            }
            data_ = out_.resize(sized);
        } catch (const std::bad_alloc&) {
            return error(errc::io, "could not allocate " + std::to_string(size) + " bytes for the blob");
        }
        if (sized < size_) {
            try {
                sizer_ = std::thread([this, sized] { size_in_background(sized); });
            } catch (const std::system_error&) {  // no thread to spare: size it here
                data_ = out_.resize(size_);        // within the reserved capacity, so no allocation
                sized = size_;
            }
        }
        ready_.store(sized, std::memory_order_release);
        return {};
    }

    result<void> commit() override {
        stop_sizing();  // every byte is written by now, so the helper has finished
        return {};
    }
    void abort() noexcept override { stop_sizing(); }

private:
    result<void> wait_until_ready(std::uint64_t end) override {
        if (end > size_) return memory_target::wait_until_ready(end);
        std::unique_lock<std::mutex> lock(mutex_);
        ready_changed_.wait(lock, [&] { return ready_.load(std::memory_order_relaxed) >= end || sizer_exited_; });
        if (ready_.load(std::memory_order_relaxed) < end)
            return error(errc::io, "could not size the container for " + std::to_string(size_) + " bytes of blob data");
        return {};
    }

    void size_in_background(std::size_t sized) noexcept {
        try {
            while (sized < size_ && !stop_.load(std::memory_order_relaxed)) {
                sized = std::min(size_, sized + sizing_step);
                char* const data = out_.resize(sized);  // zero-fills and faults in the new pages
                if (data != data_) break;                // never seen: growth within capacity moved the bytes
                const std::lock_guard<std::mutex> lock(mutex_);
                ready_.store(sized, std::memory_order_release);
                ready_changed_.notify_all();
            }
        } catch (...) {  // cannot happen within the reserved capacity; waiting writers get an error
        }
        const std::lock_guard<std::mutex> lock(mutex_);
        sizer_exited_ = true;
        ready_changed_.notify_all();
    }

    void stop_sizing() noexcept {
        if (!sizer_.joinable()) return;
        stop_.store(true, std::memory_order_relaxed);
        sizer_.join();
    }

    growable_buffer& out_;
    std::size_t size_ = 0;
    std::thread sizer_;              // grows `out_` to `size_`; only it touches `out_` until joined
    std::atomic<bool> stop_{false};  // the download failed: stop growing
    std::mutex mutex_;               // with `ready_changed_`, for writes waiting on `ready_`
    std::condition_variable ready_changed_;
    bool sizer_exited_ = false;  // guarded by `mutex_`
};

/// The caller's fixed buffer; a blob larger than the buffer is an error, never truncated.
class buffer_target final : public memory_target {
public:
    buffer_target(void* data, std::size_t capacity) : memory_target(static_cast<char*>(data)), capacity_(capacity) {}
    result<void> open(std::uint64_t size) override {
        if (size > capacity_)
            return error(errc::invalid_argument, "the buffer (" + std::to_string(capacity_) + " bytes) is too small for " +
                                                     std::to_string(size) + " bytes of blob data");
        size_ = static_cast<std::size_t>(size);
        ready_.store(size, std::memory_order_release);
        return {};
    }
    std::size_t size() const noexcept { return size_; }

private:
    std::size_t capacity_;
    std::size_t size_ = 0;
};

/// The caller's sink: bytes in order, on the caller's thread. Exceptions it throws are kept
/// and rethrown once the download has cleaned up.
class sink_target final : public download_target {
public:
    explicit sink_target(std::function<bool(std::string_view)> sink) : sink_(std::move(sink)) {}
    bool random_access() const noexcept override { return false; }
    result<void> open(std::uint64_t) override { return {}; }
    result<void> write_at(std::uint64_t, std::string_view data) override {
        bool more = false;
        try {
            more = sink_(data);
        } catch (...) {
            thrown_ = std::current_exception();
            return error(errc::cancelled, "the sink threw an exception");
        }
        if (!more) return error(errc::cancelled, "the sink stopped the download");
        return {};
    }
    std::exception_ptr caught_exception() const noexcept override { return thrown_; }

private:
    std::function<bool(std::string_view)> sink_;
    std::exception_ptr thrown_;
};

/// "what failed: <strerror>" for the current errno.
inline error io_error(const std::string& what, int err) {
    return error(errc::io, what + ": " + std::error_code(err, std::generic_category()).message());
}

/// A file written through `.<name>.azmi-<random>.part` in the destination's directory:
/// positional writes from any thread, fsync, then rename over the destination. On failure
/// (or destruction before `commit`) the temporary is removed; the destination is never
/// touched unless the whole download succeeded.
class file_target final : public download_target {
public:
    file_target(std::filesystem::path destination, bool overwrite)
        : destination_(std::move(destination)), overwrite_(overwrite) {}
    file_target(const file_target&) = delete;
    file_target& operator=(const file_target&) = delete;
    ~file_target() override { abort(); }

    bool random_access() const noexcept override { return true; }

    result<void> prepare() override {
        if (destination_.empty() || !destination_.has_filename())
            return error(errc::invalid_argument, "download destination must name a file: '" + destination_.string() + "'");
        struct stat st {};
        if (::stat(destination_.c_str(), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                return error(errc::io, "download destination is a directory: '" + destination_.string() + "'");
            if (!overwrite_)
                return error(errc::io, "download destination exists and overwrite is off: '" + destination_.string() + "'");
        }
        const std::filesystem::path dir = destination_.has_parent_path() ? destination_.parent_path() : ".";
        const std::string token = make_uuid_v4().substr(0, 8);
        temp_ = dir / ("." + destination_.filename().string() + ".azmi-" + token + ".part");
        fd_ = ::open(temp_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ < 0) {
            const int err = errno;
            temp_.clear();
            return io_error("cannot create a temporary file next to '" + destination_.string() + "'", err);
        }
        return {};
    }

    result<void> open(std::uint64_t size) override {
        // Sets the final size up front, so positional writes never extend the file concurrently.
        if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return io_error("cannot size '" + temp_.string() + "'", errno);
        return {};
    }

    result<void> write_at(std::uint64_t offset, std::string_view data) override {
        const char* p = data.data();
        std::size_t left = data.size();
        auto at = static_cast<off_t>(offset);
        while (left > 0) {
            const ssize_t n = ::pwrite(fd_, p, left, at);
            if (n < 0) {
                if (errno == EINTR) continue;
                return io_error("cannot write '" + temp_.string() + "'", errno);
            }
            p += n;
            left -= static_cast<std::size_t>(n);
            at += static_cast<off_t>(n);
        }
        start_writeback(data.size());
        return {};
    }

    result<void> read_back(std::uint64_t offset, std::uint64_t length,
                           const std::function<void(std::string_view)>& consume) override {
        constexpr std::size_t piece = 256 * 1024;
        if (buffer_.size() < piece) buffer_.resize(piece);
        auto at = static_cast<off_t>(offset);
        while (length > 0) {
            const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(length, piece));
            const ssize_t n = ::pread(fd_, &buffer_[0], want, at);
            if (n < 0) {
                if (errno == EINTR) continue;
                return io_error("cannot read back '" + temp_.string() + "'", errno);
            }
            if (n == 0) return error(errc::io, "'" + temp_.string() + "' is shorter than what was written");
            consume(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
            length -= static_cast<std::uint64_t>(n);
            at += static_cast<off_t>(n);
        }
        return {};
    }

    result<void> commit() override {
        if (::fsync(fd_) != 0) return io_error("cannot flush '" + temp_.string() + "'", errno);
        if (::close(fd_) != 0) {
            fd_ = -1;
            return io_error("cannot close '" + temp_.string() + "'", errno);
        }
        fd_ = -1;
        if (overwrite_) {
            if (::rename(temp_.c_str(), destination_.c_str()) != 0)
                return io_error("cannot rename the download to '" + destination_.string() + "'", errno);
        } else {
            // link() fails with EEXIST instead of replacing, atomically.
            if (::link(temp_.c_str(), destination_.c_str()) != 0)
                return io_error("cannot create '" + destination_.string() + "'", errno);
            ::unlink(temp_.c_str());
        }
        temp_.clear();
        sync_directory();
        return {};
    }

    void abort() noexcept override {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
        if (!temp_.empty()) {
            ::unlink(temp_.c_str());
            temp_.clear();
        }
    }

    /// The temporary file's path while the download runs (tests check it is gone).
    const std::filesystem::path& temporary_path() const noexcept { return temp_; }

private:
    /// Every `writeback_step` bytes written (by any thread), asks the kernel to start writing the
    /// file's dirty pages out, without waiting. The disk then works while the network does, and
    /// the fsync in `commit` finds little left to flush instead of the whole blob (64 MiB on our
    /// benchmark disk: 28 ms of fsync became 3 ms).
    void start_writeback(std::size_t written) noexcept {
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
        constexpr std::uint64_t writeback_step = 8ULL * 1024 * 1024;
        const std::uint64_t before = written_.fetch_add(written, std::memory_order_relaxed);
        if (before / writeback_step != (before + written) / writeback_step)
            (void)::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);  // offset 0, length 0: the whole file
#else
        (void)written;
#endif
    }

    /// Makes the rename durable; best effort (some filesystems refuse fsync on directories).
    void sync_directory() noexcept {
        const std::filesystem::path dir = destination_.has_parent_path() ? destination_.parent_path() : ".";
        const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)::fsync(dfd);
            ::close(dfd);
        }
    }

    std::filesystem::path destination_;
    bool overwrite_;
    std::filesystem::path temp_;
    int fd_ = -1;
    std::string buffer_;
    std::atomic<std::uint64_t> written_{0};  // bytes written so far, for start_writeback
};

}  // namespace detail
AZMI_END_NAMESPACE

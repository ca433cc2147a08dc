// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The download engine behind every `blob_reader` read: a first ranged GET that learns the
/// size and ETag, then the remaining chunks pinned with `If-Match` (in parallel on worker
/// threads when the target allows), resumption of cut transfers, per-range and whole-blob
/// checksums, progress and cancellation. Targets (memory, caller's buffer, file, sink) are
/// behind `download_target`.

#include <azmi/blob_types.hpp>
#include <azmi/crc64.hpp>
#include <azmi/detail/blob_request.hpp>
#include <azmi/detail/crypto.hpp>
#include <azmi/download_options.hpp>
#include <azmi/error.hpp>
#include <azmi/transport.hpp>
#include <azmi/version.hpp>

#include <algorithm>           // min, max
#include <atomic>              // atomic
#include <chrono>              // steady_clock
#include <condition_variable>  // condition_variable
#include <cstdint>             // uint64_t
#include <cstring>             // memcpy
#include <exception>           // exception_ptr
#include <functional>          // function
#include <mutex>               // mutex, unique_lock
#include <optional>            // optional
#include <string>              // string
#include <string_view>         // string_view
#include <thread>              // thread
#include <utility>             // move
#include <vector>              // vector

AZMI_BEGIN_NAMESPACE
namespace detail {

/// The service's limit for ranges with a per-range checksum.
inline constexpr std::uint64_t max_checksummed_range = 4ULL * 1024 * 1024;

/// Where downloaded bytes go. Offsets are relative to the start of the requested range.
class download_target {
public:
    virtual ~download_target() = default;
    /// True when `write_at` may be called from several threads at once for disjoint ranges,
    /// in any order, and `read_back` works. False: writes come in order, from one thread.
    virtual bool random_access() const noexcept = 0;
    /// Called before any network I/O, to fail early (e.g. an unwritable directory).
    virtual result<void> prepare() { return {}; }
    /// Called once, before any write, with the number of bytes that will be written.
    virtual result<void> open(std::uint64_t size) = 0;
    virtual result<void> write_at(std::uint64_t offset, std::string_view data) = 0;
    /// Hands `[offset, offset + length)` back in pieces (random-access targets only), so the
    /// whole-blob MD5 can be computed in order after parallel writes.
    virtual result<void> read_back(std::uint64_t offset, std::uint64_t length,
                                   const std::function<void(std::string_view)>& consume) {
        (void)offset;
        (void)length;
        (void)consume;
        return error(errc::invalid_argument, "this download target cannot be read back");
    }
    /// Makes the result visible; called once, on success only.
    virtual result<void> commit() { return {}; }
    /// Discards everything written; called on failure.
    virtual void abort() noexcept {}
    /// An exception the caller's code (a sink) threw into the target, to rethrow after cleanup.
    virtual std::exception_ptr caught_exception() const noexcept { return nullptr; }
};

/// What a download produced besides the bytes.
struct download_outcome {
    /// From the first response; `size` is the blob's size (not the range's).
    blob_properties properties;
    /// Bytes written to the target.
    std::uint64_t bytes = 0;
};

/// Runs one download. Single use: construct, `run()`, discard.
class downloader {
public:
    /// `url` is the blob URL from `blob_endpoint::try_blob_url`; `what` names the blob for
    /// messages. `length` unset means "to the end of the blob".
    downloader(const storage_pipeline& pipeline, std::string url, std::string what, const download_options& options,
               std::uint64_t offset, std::optional<std::uint64_t> length, download_target& target)
        : pipeline_(pipeline),
          url_(std::move(url)),
          what_(std::move(what)),
          options_(options),
          range_begin_(offset),
          requested_length_(length),
          target_(target) {
        // Clamped so offset arithmetic cannot overflow (a "length" of UINT64_MAX means "to the end").
        const std::uint64_t chunk_size =
            options_.chunk_size == 0 ? download_options::min_automatic_chunk_size : options_.chunk_size;
        chunk_ = std::min<std::uint64_t>(chunk_size, std::uint64_t(1) << 40);
        if (options_.checksum != transfer_checksum::none) chunk_ = std::min(chunk_, max_checksummed_range);
        first_chunk_ = std::min(chunk_, std::max<std::uint64_t>(options_.first_chunk_size, 1));
        range_begin_ = std::min<std::uint64_t>(range_begin_, std::uint64_t(1) << 62);
        if (requested_length_) requested_length_ = std::min<std::uint64_t>(*requested_length_, std::uint64_t(1) << 62);
    }

    downloader(const downloader&) = delete;
    downloader& operator=(const downloader&) = delete;

    /// Downloads, verifies and commits, or aborts the target and returns why. An exception
    /// thrown by the caller's progress callback or sink is rethrown after cleanup.
    result<download_outcome> run() {
        result<download_outcome> r = error(errc::io, "");
        try {
            r = run_steps();
        } catch (const exception& e) {  // e.g. OpenSSL unusable for MD5
            r = e.error();
        } catch (...) {
            target_.abort();
            throw;
        }
        if (!r) target_.abort();
        if (user_exception_) std::rethrow_exception(user_exception_);
        if (auto thrown = target_.caught_exception()) std::rethrow_exception(thrown);
        return r;
    }

private:
    struct chunk {
        std::uint64_t first;  // absolute blob offsets, half-open [first, end)
        std::uint64_t end;
    };

    // ---- the steps -------------------------------------------------------------------------

    result<download_outcome> run_steps() {
        if (auto ok = target_.prepare(); !ok) return ok.error();
        if (requested_length_ && *requested_length_ == 0) {
            // Nothing to fetch: no request (a zero-length range cannot be expressed in HTTP).
            if (auto ok = target_.open(0); !ok) return ok.error();
            total_ = 0;
            if (auto ok = report_final(); !ok) return ok.error();
            if (auto ok = target_.commit(); !ok) return ok.error();
            return download_outcome{};
        }

        auto first = fetch_first_chunk();
        if (!first) return first.error();
        download_outcome outcome;
        outcome.properties = std::move(*first);

        const std::uint64_t size = range_size_;
        outcome.bytes = size;
        if (auto ok = target_.open(size); !ok) return ok.error();
        const std::uint64_t first_bytes = first_buffer_.size();
        if (first_bytes > 0) {
            if (auto ok = deliver(0, first_buffer_); !ok) return ok.error();
        }
        std::string().swap(first_buffer_);  // release: memory stays bounded by the chunk size

        // Plan the rest: chunk 0 is the one already fetched. With one request in flight at a time
        // and no per-range checksum (which caps a range at 4 MiB), the rest is one ranged GET:
        // splitting it would only add per-request latency, and a cut transfer resumes anyway.
        const unsigned workers = std::max(1U, options_.concurrency);
        const bool one_stream = (workers == 1 || !target_.random_access()) && options_.checksum == transfer_checksum::none;
        if (options_.chunk_size == 0 && options_.checksum == transfer_checksum::none && !hashing_) {
            // Automatic: about two chunks per worker (see `download_options::chunk_size`). Not
            // when the blob's MD5 is verified: the hash runs in blob order, so what it has left
            // after the last byte arrives grows with the chunks still in flight.
            const std::uint64_t rest = size - first_bytes;
            const std::uint64_t shares = 2 * std::uint64_t(workers);
            chunk_ = std::max(chunk_, rest / shares + (rest % shares != 0 ? 1 : 0));
        }
        const std::uint64_t step = one_stream ? std::max<std::uint64_t>(size, 1) : chunk_;
        chunks_.push_back(chunk{range_begin_, range_begin_ + first_bytes});
        for (std::uint64_t at = range_begin_ + first_bytes; at < range_begin_ + size; at += step)
            chunks_.push_back(chunk{at, std::min(at + step, range_begin_ + size)});
        done_.assign(chunks_.size(), false);
        done_[0] = true;
        bytes_done_ = first_bytes;
        if (chunks_.size() > 1 && etag_.empty())
            return error(errc::malformed_response,
                         what_ + ": the service sent no ETag, so the remaining chunks cannot be pinned to one version");
        if (auto ok = advance_hash(); !ok) return ok.error();
        maybe_report();
        if (stop_) return failure();

        const std::size_t remaining = chunks_.size() - 1;
        if (remaining > 0) {
            auto ok = (target_.random_access() && workers > 1 && remaining > 1)
                          ? fetch_parallel(static_cast<unsigned>(std::min<std::size_t>(workers, remaining)))
                          : fetch_sequential();
            if (!ok) return ok.error();
        }

        if (auto ok = finish_hash(); !ok) return ok.error();
        if (auto ok = report_final(); !ok) return ok.error();
        if (auto ok = target_.commit(); !ok) return ok.error();
        return outcome;
    }

    /// A GET of this blob; callers add the range and conditions.
    storage_request blob_get() const {
        storage_request spec;
        spec.method = http_method::get;
        spec.url = url_;
        spec.what = "GET " + what_;
        return spec;
    }

    /// Fetches the first chunk into `first_buffer_`, learning size, ETag and expected MD5.
    result<blob_properties> fetch_first_chunk() {
        const std::uint64_t want_last =
            requested_length_ ? std::min(range_begin_ + first_chunk_ - 1, range_begin_ + *requested_length_ - 1)
                              : range_begin_ + first_chunk_ - 1;
        const std::uint64_t cap = want_last - range_begin_ + 1;
        bool ranged = true;
        int restarts = 0;
        for (;;) {
            storage_request spec = blob_get();
            if (ranged) {
                spec.headers.set("x-ms-range", range_header(range_begin_, want_last));
                add_checksum_flag(spec.headers);
            }
            first_buffer_.clear();
            // Reserve the whole chunk up front: growing by doubling would copy and page-fault the
            // data several times over. Reserved pages that are never written cost nothing.
            first_buffer_.reserve(static_cast<std::size_t>(ranged ? cap : chunk_));
            buffer_sink sink(*this, first_buffer_, ranged ? cap : chunk_);
            std::uint64_t delivered = 0;
            auto r = pipeline_.send(spec, &sink, &delivered);
            if (sink.overflow) {
                if (!ranged)
                    return error(errc::condition_not_met,
                                 what_ + ": blob modified during read (it was empty, then had data)");
                return error(errc::malformed_response,
                             what_ + ": the service sent more bytes than the requested range");
            }
            if (stop_) return failure();
            if (!r) {
                error e = std::move(r).error();
                // Azure answers 416 to a range GET on an empty blob: ask again without a range.
                if (ranged && e.status == 416 && range_begin_ == 0) {
                    ranged = false;
                    continue;
                }
                if (delivered > 0 && retry_policy::retriable_failure(e) && restarts < options_.max_resumes) {
                    // No ETag yet to pin a resumed range to, so start this chunk over.
                    ++restarts;
                    continue;
                }
                return e;
            }
            http_response& response = *r;
            blob_properties props = properties_from_headers(response.headers);
            etag_ = props.etag;
            std::uint64_t total = 0;
            std::string expected_md5;
            if (response.status == 206) {
                const auto cr = parse_content_range(response.headers.value_or("Content-Range", ""));
                if (!cr || !cr->total)
                    return error(errc::malformed_response, what_ + ": 206 response without a valid Content-Range");
                if (cr->first && *cr->first != range_begin_ && !(first_buffer_.empty() && *cr->total == 0))
                    return error(errc::malformed_response,
                                 what_ + ": the service answered a different range than requested");
                total = *cr->total;
                expected_md5 = std::string(response.headers.value_or("x-ms-blob-content-md5", ""));
                props.content_md5 = expected_md5;
                if (ranged && !first_buffer_.empty()) {
                    if (auto ok = check_transfer_checksum(response.headers, sink.md5, sink.crc); !ok) return ok.error();
                }
            } else if (response.status == 200) {
                // A full answer: to the no-range retry, or from a server that ignores ranges
                // (then the buffer cap above guarantees the blob fitted in the first chunk).
                if (range_begin_ != 0 && !first_buffer_.empty())
                    return error(errc::malformed_response, what_ + ": the service ignored the requested range");
                total = first_buffer_.size();
                expected_md5 = props.content_md5;
            } else {
                return error(errc::malformed_response,
                             what_ + ": unexpected HTTP " + std::to_string(response.status) + " to a GET");
            }
            props.size = total;

            // What will actually be read: the request clipped to the blob.
            if (total == 0) {
                range_size_ = 0;
            } else {
                if (range_begin_ >= total)
                    return error(errc::invalid_range, what_ + ": range starts past the end of the blob");
                const std::uint64_t end = requested_length_ ? std::min(total, range_begin_ + *requested_length_) : total;
                range_size_ = end - range_begin_;
            }
            // A full answer to a request for the start of the blob: keep just the range.
            if (response.status == 200 && first_buffer_.size() > range_size_) first_buffer_.resize(static_cast<std::size_t>(range_size_));
            const std::uint64_t expect_first = std::min<std::uint64_t>(range_size_, response.status == 200 ? total : cap);
            if (first_buffer_.size() != expect_first) {
                if (restarts < options_.max_resumes) {
                    ++restarts;
                    continue;
                }
                return error(errc::truncated, what_ + ": the first chunk ended after " +
                                                  std::to_string(first_buffer_.size()) + " of " +
                                                  std::to_string(expect_first) + " bytes");
            }
            total_ = range_size_;
            if (options_.verify_content_md5 && !expected_md5.empty() && range_begin_ == 0 && range_size_ == total) {
                expected_md5_ = expected_md5;
                hashing_ = true;
            }
            return props;
        }
    }

    result<void> fetch_sequential() {
        for (std::size_t i = 1; i < chunks_.size(); ++i) {
            if (stop_) return failure();
            if (auto ok = fetch_chunk(chunks_[i], true); !ok) return stop_ ? failure() : ok;
            done_[i] = true;
            if (auto ok = advance_hash(); !ok) return ok.error();
            maybe_report();
        }
        if (stop_) return failure();
        return {};
    }

    result<void> fetch_parallel(unsigned worker_count) {
        next_chunk_ = 1;
        finished_workers_ = 0;
        std::vector<std::thread> workers;
        workers.reserve(worker_count);
        struct joiner {  // stops and joins the workers when the coordinator leaves early (exception)
            downloader& self;
            std::vector<std::thread>& threads;
            ~joiner() {
                for (auto& t : threads) {
                    if (!t.joinable()) continue;
                    self.stop_ = true;
                    t.join();
                }
            }
        };
        joiner join_all{*this, workers};
        try {
            for (unsigned w = 0; w < worker_count; ++w) workers.emplace_back([this] { worker(); });
        } catch (...) {
            set_failure(error(errc::io, what_ + ": could not start download threads"));
            std::unique_lock<std::mutex> lock(mutex_);
            cv_.wait(lock, [&] { return finished_workers_ == workers.size(); });
            return failure();
        }

        const auto wake = options_.progress_interval.count() > 0 ? options_.progress_interval
                                                                 : std::chrono::milliseconds(10);
        std::unique_lock<std::mutex> lock(mutex_);
        while (finished_workers_ < worker_count) {
            cv_.wait_for(lock, wake, [&] { return finished_workers_ == worker_count || chunk_completed_; });
            chunk_completed_ = false;
            lock.unlock();
            if (!stop_) {
                if (auto ok = advance_hash(); !ok) set_failure(ok.error());
                maybe_report();
            }
            lock.lock();
        }
        lock.unlock();
        for (auto& t : workers) t.join();
        if (stop_) return failure();
        return {};
    }

    void worker() noexcept {
        for (;;) {
            std::size_t index = 0;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (stop_ || next_chunk_ >= chunks_.size()) break;
                index = next_chunk_++;
            }
            result<void> r;
            try {
                r = fetch_chunk(chunks_[index], false);
            } catch (const exception& e) {
                r = e.error();
            } catch (const std::exception& e) {
                r = error(errc::io, what_ + ": " + e.what());
            } catch (...) {
                r = error(errc::io, what_ + ": unknown failure in a download thread");
            }
            std::lock_guard<std::mutex> lock(mutex_);
            if (!r) {
                record_failure_locked(r.error());
                break;
            }
            done_[index] = true;
            chunk_completed_ = true;
            cv_.notify_all();
        }
        std::lock_guard<std::mutex> lock(mutex_);
        ++finished_workers_;
        cv_.notify_all();
    }

    /// Fetches one later chunk pinned to the ETag, resuming cut transfers.
    result<void> fetch_chunk(const chunk& c, bool on_caller_thread) {
        const bool checksummed = options_.checksum != transfer_checksum::none;
        // A sink cannot take back bytes, so with per-range checksums its chunks are verified
        // in memory (≤ 4 MiB) before being handed over.
        const bool buffered = checksummed && !target_.random_access();
        std::string buffer;
        std::uint64_t pos = c.first;
        std::uint64_t credited = c.first;  // progress already counted for this chunk
        int resumes = 0;
        for (;;) {
            storage_request spec = blob_get();
            spec.headers.set("x-ms-range", range_header(pos, c.end - 1));
            spec.headers.set("If-Match", etag_);
            add_checksum_flag(spec.headers);
            if (buffered) buffer.clear();
            range_sink sink(*this, pos, c.end, buffered ? &buffer : nullptr, c.first, credited,
                            on_caller_thread);
            std::uint64_t delivered = 0;
            auto r = pipeline_.send(spec, &sink, &delivered);
            credited = sink.credited;
            if (sink.failure) return *sink.failure;
            if (stop_) return failure();
            bool cut = false;
            if (r) {
                if (r->status != 206)
                    return error(errc::malformed_response, what_ + ": expected 206 to a ranged GET, got HTTP " +
                                                               std::to_string(r->status));
                const auto cr = parse_content_range(r->headers.value_or("Content-Range", ""));
                if (!cr || !cr->first || *cr->first != pos)
                    return error(errc::malformed_response,
                                 what_ + ": the service answered a different range than requested");
                if (sink.pos == c.end) {
                    if (checksummed) {
                        if (auto ok = check_transfer_checksum(r->headers, sink.md5, sink.crc); !ok) return ok.error();
                    }
                    if (buffered) return deliver(c.first - range_begin_, buffer);
                    return {};
                }
                cut = true;  // a 2xx body shorter than the range: resume like a cut transfer
            } else {
                error e = std::move(r).error();
                if (e.code == errc::condition_not_met) {
                    e.message = what_ + ": blob modified during read (its ETag no longer matches " + etag_ +
                                "); no data is returned";
                    return e;
                }
                if (!(sink.pos > pos && retry_policy::retriable_failure(e))) return e;
                if (resumes >= options_.max_resumes) {
                    e.message += " (after " + std::to_string(resumes) + " resumed requests)";
                    return e;
                }
                cut = true;
            }
            if (cut) {
                if (resumes >= options_.max_resumes)
                    return error(errc::truncated, what_ + ": range " + range_header(c.first, c.end - 1) +
                                                      " kept ending early");
                ++resumes;
                // The checksum covers a whole response, so a cut checksummed chunk starts over.
                pos = checksummed ? c.first : sink.pos;
            }
        }
    }

    // ---- sinks -----------------------------------------------------------------------------

    /// Collects the first chunk (size and ETag are not known until it arrives).
    class buffer_sink final : public body_sink {
    public:
        buffer_sink(downloader& d, std::string& out, std::uint64_t cap) : d_(d), out_(out), cap_(cap) {}
        bool write(std::string_view data) override {
            if (d_.stop_) return false;
            if (out_.size() + data.size() > cap_) {
                overflow = true;
                return false;
            }
            out_.append(data.data(), data.size());
            if (d_.options_.checksum == transfer_checksum::md5) md5.update(data);
            if (d_.options_.checksum == transfer_checksum::crc64) crc.update(data);
            return true;
        }
        bool overflow = false;
        md5_hasher md5;
        crc64 crc;

    private:
        downloader& d_;
        std::string& out_;
        std::uint64_t cap_;
    };

    /// Streams one response of a later chunk to its place in the target (or into `buffer`).
    class range_sink final : public body_sink {
    public:
        range_sink(downloader& d, std::uint64_t start, std::uint64_t end, std::string* buffer, std::uint64_t chunk_first,
                   std::uint64_t credited_before, bool on_caller_thread)
            : pos(start),
              credited(credited_before),
              d_(d),
              end_(end),
              buffer_(buffer),
              chunk_first_(chunk_first),
              on_caller_thread_(on_caller_thread) {}

        bool write(std::string_view data) override {
            if (d_.stop_) return false;
            if (pos + data.size() > end_) {
                failure = error(errc::malformed_response, d_.what_ + ": the service sent more bytes than requested");
                return false;
            }
            if (buffer_ != nullptr) {
                buffer_->resize(static_cast<std::size_t>(pos - chunk_first_));
                buffer_->append(data.data(), data.size());
            } else {
                auto ok = d_.deliver(pos - d_.range_begin_, data);
                if (!ok) {
                    failure = ok.error();
                    return false;
                }
            }
            if (d_.options_.checksum == transfer_checksum::md5) md5.update(data);
            if (d_.options_.checksum == transfer_checksum::crc64) crc.update(data);
            pos += data.size();
            if (pos > credited) {
                d_.bytes_done_ += pos - credited;
                credited = pos;
            }
            if (on_caller_thread_) d_.maybe_report();
            return !d_.stop_;
        }

        std::uint64_t pos;
        std::uint64_t credited;
        std::optional<error> failure;
        md5_hasher md5;
        crc64 crc;

    private:
        downloader& d_;
        std::uint64_t end_;
        std::string* buffer_;
        std::uint64_t chunk_first_;
        bool on_caller_thread_;
    };

    // ---- helpers ---------------------------------------------------------------------------

    static std::string range_header(std::uint64_t first, std::uint64_t last) {
        return "bytes=" + std::to_string(first) + "-" + std::to_string(last);
    }

    void add_checksum_flag(header_map& headers) const {
        if (options_.checksum == transfer_checksum::md5) headers.set("x-ms-range-get-content-md5", "true");
        if (options_.checksum == transfer_checksum::crc64) headers.set("x-ms-range-get-content-crc64", "true");
    }

    /// Compares the per-range checksum the service sent with the one computed over the body.
    result<void> check_transfer_checksum(const header_map& headers, md5_hasher& md5, crc64& crc) const {
        if (options_.checksum == transfer_checksum::none) return {};
        const bool is_md5 = options_.checksum == transfer_checksum::md5;
        const char* header = is_md5 ? "Content-MD5" : "x-ms-content-crc64";
        const auto sent = headers.get(header);
        if (!sent || sent->empty())
            return error(errc::integrity,
                         what_ + ": the service did not return the requested " + header + " for a range");
        const std::string computed = is_md5 ? md5.final_base64() : crc.base64();
        if (*sent != computed)
            return error(errc::integrity, what_ + ": " + header + " mismatch on a range: the service sent " +
                                              std::string(*sent) + ", the received bytes give " + computed);
        return {};
    }

    /// Writes to the target, feeding the whole-blob hash on the fly for in-order targets.
    result<void> deliver(std::uint64_t offset, std::string_view data) {
        if (auto ok = target_.write_at(offset, data); !ok) return ok;
        if (hashing_ && !target_.random_access()) blob_md5_.update(data);
        return {};
    }

    /// Random-access targets: hashes the completed chunks that follow the hashed prefix.
    result<void> advance_hash() {
        if (!hashing_ || !target_.random_access()) return {};
        for (;;) {
            std::size_t index = 0;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (hashed_chunks_ >= chunks_.size() || !done_[hashed_chunks_]) return {};
                index = hashed_chunks_;
            }
            const chunk& c = chunks_[index];
            if (c.end > c.first) {
                auto ok = target_.read_back(c.first - range_begin_, c.end - c.first,
                                            [this](std::string_view piece) { blob_md5_.update(piece); });
                if (!ok) return ok;
            }
            std::lock_guard<std::mutex> lock(mutex_);
            ++hashed_chunks_;
        }
    }

    result<void> finish_hash() {
        if (!hashing_) return {};
        if (auto ok = advance_hash(); !ok) return ok;
        const std::string computed = blob_md5_.final_base64();
        if (computed != expected_md5_)
            return error(errc::integrity, what_ + ": Content-MD5 mismatch: the blob's stored MD5 is " + expected_md5_ +
                                              ", the downloaded bytes give " + computed);
        return {};
    }

    /// Calls the progress callback if the throttle allows; a false return or an exception
    /// stops the download.
    void maybe_report() {
        if (!options_.progress || stop_) return;
        const std::uint64_t done = bytes_done_;
        const auto now = std::chrono::steady_clock::now();
        if (reported_any_ && (done == last_reported_ || now - last_report_time_ < options_.progress_interval)) return;
        call_progress(done);
        last_report_time_ = now;
    }

    result<void> report_final() {
        if (!options_.progress) return {};
        if (reported_any_ && last_reported_ == total_) return {};
        call_progress(total_);
        if (stop_) return failure();
        return {};
    }

    void call_progress(std::uint64_t done) {
        reported_any_ = true;
        last_reported_ = done;
        bool go_on = false;
        try {
            go_on = options_.progress(done, total_);
        } catch (...) {
            user_exception_ = std::current_exception();
            set_failure(error(errc::cancelled, what_ + ": the progress callback threw"));
            return;
        }
        if (!go_on) set_failure(error(errc::cancelled, what_ + ": cancelled by the progress callback"));
    }

    void set_failure(error e) {
        std::lock_guard<std::mutex> lock(mutex_);
        record_failure_locked(std::move(e));
    }
    void record_failure_locked(error e) {
        if (!failure_) failure_ = std::move(e);
        stop_ = true;
        cv_.notify_all();
    }
    error failure() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (failure_) return *failure_;
        return error(errc::cancelled, what_ + ": download stopped");
    }

    const storage_pipeline& pipeline_;
    std::string url_;
    std::string what_;
    const download_options& options_;
    std::uint64_t range_begin_;
    std::optional<std::uint64_t> requested_length_;
    download_target& target_;
    std::uint64_t chunk_ = 1;
    std::uint64_t first_chunk_ = 1;  // the first request's size: buffered, so kept small

    std::string first_buffer_;
    std::string etag_;
    std::uint64_t range_size_ = 0;
    std::uint64_t total_ = 0;  // bytes this download reports as its total
    std::vector<chunk> chunks_;

    // Shared with worker threads: `mutex_` guards done_, next_chunk_, finished_workers_,
    // chunk_completed_, hashed_chunks_ and failure_.
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<bool> done_;
    std::size_t next_chunk_ = 1;
    std::size_t finished_workers_ = 0;
    bool chunk_completed_ = false;
    std::size_t hashed_chunks_ = 0;
    std::optional<error> failure_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> bytes_done_{0};

    // Caller's thread only.
    bool hashing_ = false;
    std::string expected_md5_;
    md5_hasher blob_md5_;
    bool reported_any_ = false;
    std::uint64_t last_reported_ = 0;
    std::chrono::steady_clock::time_point last_report_time_{};
    std::exception_ptr user_exception_;
};

}  // namespace detail
AZMI_END_NAMESPACE

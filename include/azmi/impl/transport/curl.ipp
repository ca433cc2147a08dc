// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Out-of-line definitions of transport/curl.hpp, and the only azmi file that includes <curl/curl.h>.

#include <azmi/transport/curl.hpp>

#include <azmi/detail/redact.hpp>
#include <azmi/error.hpp>
#include <azmi/http.hpp>
#include <azmi/transport.hpp>
#include <azmi/url.hpp>
#include <azmi/version.hpp>

#include <curl/curl.h>

#include <algorithm>    // min, all_of, find_if
#include <array>        // array
#include <chrono>       // milliseconds, seconds
#include <climits>      // LONG_MAX
#include <cstddef>      // size_t
#include <exception>    // exception_ptr, current_exception, rethrow_exception
#include <iterator>     // prev
#include <memory>       // unique_ptr, shared_ptr, make_shared, make_unique
#include <mutex>        // mutex, lock_guard
#include <string>       // string, to_string
#include <string_view>  // string_view
#include <utility>      // move, pair
#include <vector>       // vector

#if LIBCURL_VERSION_NUM < 0x073a00
#error "azmi/transport/curl.hpp needs libcurl 7.58.0 or newer"
#endif

AZMI_BEGIN_NAMESPACE

namespace detail {

struct curl_easy_deleter {
    void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using curl_easy_ptr = std::unique_ptr<CURL, curl_easy_deleter>;

struct curl_slist_deleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using curl_slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;

struct curl_share_deleter {
    void operator()(CURLSH* share) const noexcept { curl_share_cleanup(share); }
};
using curl_share_ptr = std::unique_ptr<CURLSH, curl_share_deleter>;

/// Runs `curl_global_init` once per process. A function-local static, because C++ guarantees one
/// initialisation under racing threads while curl_global_init itself is not thread-safe on every
/// build. There is deliberately no matching curl_global_cleanup: at exit another thread may still be
/// inside libcurl, and the OS reclaims everything anyway.
inline CURLcode curl_global_once() noexcept {
    static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    return code;
}

/// Appends `line` to `list`; false when libcurl ran out of memory (the list is then unchanged).
inline bool slist_append(curl_slist_ptr& list, const std::string& line) {
    curl_slist* head = curl_slist_append(list.get(), line.c_str());
    if (head == nullptr) return false;
    (void)list.release();  // the old head (if any) is `head` or reachable from it
    list.reset(head);
    return true;
}

/// DNS and TLS session caches shared by all easy handles of one transport, guarded by one mutex per
/// kind of data as curl_share_setopt asks. Connections themselves are NOT shared this way: libcurl
/// does not support a shared connection cache used from concurrent threads, hence the handle pool.
class curl_share {
public:
    curl_share() : handle_(curl_share_init()) {
        if (!handle_) return;
        bool ok = curl_share_setopt(handle_.get(), CURLSHOPT_LOCKFUNC, static_cast<curl_lock_function>(&lock)) == CURLSHE_OK;
        ok = ok && curl_share_setopt(handle_.get(), CURLSHOPT_UNLOCKFUNC, static_cast<curl_unlock_function>(&unlock)) == CURLSHE_OK;
        ok = ok && curl_share_setopt(handle_.get(), CURLSHOPT_USERDATA, static_cast<void*>(this)) == CURLSHE_OK;
        ok = ok && curl_share_setopt(handle_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) == CURLSHE_OK;
        ok = ok && curl_share_setopt(handle_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) == CURLSHE_OK;
        if (!ok) handle_.reset();  // a share is an optimisation; work without one rather than fail
    }
    curl_share(const curl_share&) = delete;  // libcurl holds `this` as its lock userdata
    curl_share& operator=(const curl_share&) = delete;

    /// The share handle, or null when it could not be set up.
    CURLSH* get() const noexcept { return handle_.get(); }

private:
    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
        static_cast<curl_share*>(self)->mutex_for(data).lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* self) {
        static_cast<curl_share*>(self)->mutex_for(data).unlock();
    }
    std::mutex& mutex_for(curl_lock_data data) noexcept {
        const auto index = static_cast<std::size_t>(data);
        return mutexes_[index < mutexes_.size() ? index : 0];
    }

    // Declared before handle_: curl_share_cleanup still locks, so the mutexes must outlive it.
    std::array<std::mutex, static_cast<std::size_t>(CURL_LOCK_DATA_LAST) + 1> mutexes_;
    curl_share_ptr handle_;
};

AZMI_DECL result<url_parts> parse_request_url(std::string_view url) {
    auto parts = parse_url(url);
    if (!parts) {
        error e = std::move(parts).error();
        e.message = "request " + e.message;
        return e;
    }
    return parts;
}

AZMI_DECL std::string origin_with_port(const url_parts& url) {
    return url.scheme + "://" + url.host + ":" + std::to_string(url.port);
}

/// RFC 9110 `tchar`: what a header name may consist of.
inline bool is_token_char(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// The state of one exchange, filled by libcurl's header and write callbacks.
class curl_exchange {
public:
    curl_exchange(body_sink* sink, std::size_t error_body_limit) : sink_(sink), error_body_limit_(error_body_limit) {}

    /// CURLOPT_HEADERFUNCTION. Every exception is caught here: none may cross libcurl's C frames.
    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) noexcept {
        auto* x = static_cast<curl_exchange*>(self);
        const std::size_t n = size * count;
        try {
            x->header_line(std::string_view(data, n));
            return n;
        } catch (...) {
            x->failure_ = std::current_exception();
            return 0;
        }
    }

    /// CURLOPT_WRITEFUNCTION: a 2xx body goes to the sink, anything else is buffered (capped).
    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) noexcept {
        auto* x = static_cast<curl_exchange*>(self);
        const std::size_t n = size * count;
        if (n == 0) return 0;
        try {
            return x->body(std::string_view(data, n)) ? n : 0;
        } catch (...) {
            x->failure_ = std::current_exception();
            return 0;
        }
    }

    int status() const noexcept { return status_; }
    bool headers_complete() const noexcept { return headers_complete_; }
    std::size_t body_bytes() const noexcept { return body_bytes_; }
    bool cancelled() const noexcept { return cancelled_; }
    bool error_body_capped() const noexcept { return error_body_capped_; }
    const std::exception_ptr& failure() const noexcept { return failure_; }

    /// The response of the final header block (interim 1xx blocks are dropped).
    http_response take_response(int fallback_status) {
        http_response out;
        out.status = status_ != 0 ? status_ : fallback_status;
        for (auto& f : fields_) out.headers.add(f.first, std::move(f.second));
        out.body = std::move(body_);
        return out;
    }
    /// `x-ms-request-id` of the response so far (not a secret: it is how support finds the request).
    std::string request_id() const {
        for (const auto& f : fields_)
            if (iequals(f.first, "x-ms-request-id")) return f.second;
        return {};
    }

private:
    void header_line(std::string_view line) {
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
        if (line.rfind("HTTP/", 0) == 0) {
            // A new status line starts a new block (after 100 Continue, or a proxy's CONNECT reply):
            // only the last block describes the response.
            fields_.clear();
            headers_complete_ = false;
            status_ = 0;
            const auto space = line.find(' ');
            if (space != std::string_view::npos && line.size() >= space + 4) {
                int code = 0;
                for (char c : line.substr(space + 1, 3)) {
                    if (c < '0' || c > '9') return;
                    code = code * 10 + (c - '0');
                }
                status_ = code;
            }
            return;
        }
        if (line.empty()) {
            if (status_ >= 200) headers_complete_ = true;
            return;
        }
        if ((line.front() == ' ' || line.front() == '\t') && !fields_.empty()) {
            // obs-fold continuation (RFC 9112 §5.2): join with a single space.
            fields_.back().second += ' ';
            fields_.back().second += std::string(trim_http_space(line));
            return;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return;
        fields_.emplace_back(std::string(trim_http_space(line.substr(0, colon))), std::string(trim_http_space(line.substr(colon + 1))));
    }

    bool body(std::string_view chunk) {
        if (sink_ != nullptr && status_ >= 200 && status_ < 300) {
            body_bytes_ += chunk.size();
            if (!sink_->write(chunk)) {
                cancelled_ = true;
                return false;
            }
            return true;
        }
        const bool success = status_ >= 200 && status_ < 300;
        if (!success && body_.size() + chunk.size() > error_body_limit_) {
            // An error document larger than any real one: keep the head, stop reading the rest.
            const std::size_t room = error_body_limit_ - std::min(error_body_limit_, body_.size());
            body_.append(chunk.data(), room);
            body_bytes_ += room;
            error_body_capped_ = true;
            return false;
        }
        body_.append(chunk.data(), chunk.size());
        body_bytes_ += chunk.size();
        return true;
    }

    body_sink* sink_;
    std::size_t error_body_limit_;
    int status_ = 0;
    bool headers_complete_ = false;
    std::vector<header_map::field> fields_;
    std::string body_;
    std::size_t body_bytes_ = 0;
    bool cancelled_ = false;
    bool error_body_capped_ = false;
    std::exception_ptr failure_;
};

/// The `errc` for a libcurl failure that none of our own flags (cancel, cap) explains.
inline errc curl_errc(CURLcode code) noexcept {
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return errc::timeout;
    case CURLE_PARTIAL_FILE: return errc::truncated;
    case CURLE_ABORTED_BY_CALLBACK: return errc::cancelled;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return errc::invalid_argument;
    case CURLE_WRITE_ERROR: return errc::io;
    default: return errc::transport;
    }
}

/// Milliseconds as the `long` libcurl wants, clamped to [0, LONG_MAX].
inline long curl_millis(std::chrono::milliseconds d) noexcept {
    using rep = std::chrono::milliseconds::rep;
    const rep count = d.count();
    if (count <= 0) return 0L;
    return count > static_cast<rep>(LONG_MAX) ? LONG_MAX : static_cast<long>(count);
}

}  // namespace detail

/// Everything of a `curl_transport` that names a libcurl type: kept out of the public header so
/// that, with separate compilation, only this file ever parses <curl/curl.h>.
class curl_transport::state {
public:
    /// `options` is the owning transport's (already defaulted) member, which outlives this state.
    explicit state(const curl_transport_options& options) : options_(options), init_code_(detail::curl_global_once()) {
        if (init_code_ == CURLE_OK) share_ = std::make_unique<detail::curl_share>();
    }
    state(const state&) = delete;
    state& operator=(const state&) = delete;

    /// Easy handles idle in the pool right now (each may hold a keep-alive connection).
    std::size_t idle_connections() const {
        std::lock_guard<std::mutex> lock(pool_mutex_);
        return idle_.size();
    }

    /// The work of `curl_transport::do_send`.
    result<http_response> send(const http_request& request, body_sink* sink) {
        auto target = detail::parse_request_url(request.url);
        if (!target) return std::move(target).error();
        const std::string origin = detail::origin_with_port(*target);
        const std::string where = std::string(to_string(request.method)) + " " + origin;
        if (init_code_ != CURLE_OK)
            return error(errc::transport, where + ": curl_global_init failed: " + curl_easy_strerror(init_code_));

        detail::curl_slist_ptr headers;
        if (auto built = build_headers(request, headers, where); !built) return std::move(built).error();

        // Everything libcurl points into lives longer than the lease, whose release resets the handle.
        detail::curl_exchange exchange(sink, options_.error_body_limit);
        char error_text[CURL_ERROR_SIZE] = {};
        const std::string pool_key = origin + (request.bypass_proxy ? " direct" : " env-proxy");
        lease handle(*this, pool_key);
        if (!handle.get()) return error(errc::transport, where + ": curl_easy_init failed (out of memory)");

        CURLcode code = configure(handle.get(), request, headers.get(), exchange, error_text);
        if (code == CURLE_OK) code = curl_easy_perform(handle.get());

        long response_code = 0;
        curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &response_code);
        curl_off_t content_length = -1;
        curl_easy_getinfo(handle.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &content_length);
        handle.release();

        if (exchange.failure()) std::rethrow_exception(exchange.failure());
        if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && exchange.error_body_capped())) {
            auto response = exchange.take_response(static_cast<int>(response_code));
            if (response.status < 100)
                return error(errc::malformed_response, where + ": the server's answer has no HTTP status line");
            return response;
        }
        return make_error(code, request, *target, where, exchange, content_length, error_text);
    }

private:
    struct pooled_handle {
        detail::curl_easy_ptr easy;
        std::string key;  // origin (+ proxy mode) of its last request: where its connection goes
    };

    /// One easy handle borrowed from the pool for one request; given back (reset) when released.
    class lease {
    public:
        lease(state& owner, const std::string& key) : owner_(owner), handle_(owner.checkout(key)) {}
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        ~lease() { release(); }
        CURL* get() const noexcept { return handle_.easy.get(); }
        void release() noexcept {
            if (handle_.easy) owner_.checkin(std::move(handle_));
        }

    private:
        state& owner_;
        pooled_handle handle_;
    };

    /// Prefers an idle handle whose connection already goes where `key` says (keep-alive reuse);
    /// else the least recently used one; else a new handle.
    pooled_handle checkout(const std::string& key) {
        {
            std::lock_guard<std::mutex> lock(pool_mutex_);
            if (!idle_.empty()) {
                auto it = std::find_if(idle_.rbegin(), idle_.rend(), [&key](const pooled_handle& h) { return h.key == key; });
                const auto at = it != idle_.rend() ? std::prev(it.base()) : idle_.begin();
                pooled_handle out = std::move(*at);
                idle_.erase(at);
                out.key = key;
                return out;
            }
        }
        return pooled_handle{detail::curl_easy_ptr(curl_easy_init()), key};
    }

    void checkin(pooled_handle&& handle) noexcept {
        // Drops every option, so no pointer into the finished request (headers, body, error
        // buffer) survives; keeps the live connection, DNS and TLS session caches.
        curl_easy_reset(handle.easy.get());
        pooled_handle dropped;  // closed outside the lock: closing a TLS connection does I/O
        {
            std::lock_guard<std::mutex> lock(pool_mutex_);
            if (idle_.size() < options_.max_connections) {
                try {
                    idle_.push_back(std::move(handle));
                    return;
                } catch (...) {
                    // No memory for the pool: just close this connection.
                }
            }
            dropped = std::move(handle);
        }
    }

    /// The request's headers as a curl_slist, refusing anything that could inject or smuggle.
    result<void> build_headers(const http_request& request, detail::curl_slist_ptr& list, const std::string& where) const {
        const bool has_body = request.method == http_method::post || request.method == http_method::put ||
                              (request.method == http_method::delete_ && !request.body.empty());
        if (!has_body && !request.body.empty())
            return error(errc::invalid_argument, where + ": a " + to_string(request.method) + " request cannot carry a body");
        auto out_of_memory = [&where] { return error(errc::transport, where + ": out of memory building headers"); };
        for (const auto& field : request.headers) {
            const std::string& name = field.first;
            const std::string& value = field.second;
            if (name.empty() || !std::all_of(name.begin(), name.end(), detail::is_token_char))
                return error(errc::invalid_argument, where + ": a request header name contains a character not allowed in a header name");
            // The value is never quoted back: it may be a token or a `secret`.
            if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
                return error(errc::invalid_argument, where + ": request header '" + name + "' has a value containing CR, LF or NUL");
            // Framing is the transport's job: libcurl computes Content-Length from the body it sends.
            if (detail::iequals(name, "Content-Length")) continue;
            // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would delete it).
            if (!detail::slist_append(list, value.empty() ? name + ";" : name + ": " + value)) return out_of_memory();
        }
        // Remove libcurl's defaults that the caller did not ask for: `Accept: */*`, `Expect:
        // 100-continue` (a needless round trip) and a form Content-Type on POST/PUT.
        if (!request.headers.contains("Accept") && !detail::slist_append(list, "Accept:")) return out_of_memory();
        if (!request.headers.contains("Expect") && !detail::slist_append(list, "Expect:")) return out_of_memory();
        if (has_body && !request.headers.contains("Content-Type") && !detail::slist_append(list, "Content-Type:"))
            return out_of_memory();
        return {};
    }

    CURLcode configure(CURL* h, const http_request& request, curl_slist* headers, detail::curl_exchange& exchange,
                       char* error_text) const {
        CURLcode rc = CURLE_OK;
        // Every value below is passed with exactly the type libcurl reads through varargs (long,
        // curl_off_t, char*, pointers): C++ gets none of curl's typecheck-gcc help.
        const auto set = [h, &rc](CURLoption option, auto value) {
            if (rc == CURLE_OK) rc = curl_easy_setopt(h, option, value);
        };
        set(CURLOPT_ERRORBUFFER, error_text);
        set(CURLOPT_URL, request.url.c_str());
        set(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: required with threads
        set(CURLOPT_VERBOSE, 0L);   // verbose output would print Authorization
        set(CURLOPT_FOLLOWLOCATION, 0L);
        set(CURLOPT_PATH_AS_IS, 1L);  // `a/../b` is a blob name, not a path to squash (REST-SPEC §2.3)
#if LIBCURL_VERSION_NUM >= 0x075500
        set(CURLOPT_PROTOCOLS_STR, "http,https");
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
        set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
        set(CURLOPT_REDIR_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        set(CURLOPT_SSL_VERIFYPEER, 1L);
        set(CURLOPT_SSL_VERIFYHOST, 2L);
        set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
        set(CURLOPT_PROXY_SSL_VERIFYPEER, 1L);
        set(CURLOPT_PROXY_SSL_VERIFYHOST, 2L);
        if (!options_.ca_file.empty()) set(CURLOPT_CAINFO, options_.ca_file.c_str());
        if (!options_.ca_path.empty()) set(CURLOPT_CAPATH, options_.ca_path.c_str());
        // HTTP/1.1 only: Azure Storage speaks it, and its framing is what truncation detection relies on.
        set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        // Bytes exactly as stored: a blob saved with Content-Encoding: gzip must not be inflated.
        set(CURLOPT_HTTP_CONTENT_DECODING, 0L);
        set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
        set(CURLOPT_TCP_KEEPALIVE, 1L);
        set(CURLOPT_MAXCONNECTS, 1L);  // one connection per pooled handle: the pool bounds the total
        set(CURLOPT_CONNECTTIMEOUT_MS, detail::curl_millis(options_.connect_timeout));
        set(CURLOPT_TIMEOUT_MS, detail::curl_millis(options_.total_timeout));
        if (options_.low_speed_limit > 0 && options_.low_speed_time.count() > 0) {
            set(CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(std::min<std::size_t>(options_.low_speed_limit, LONG_MAX)));
            set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(std::min<std::chrono::seconds::rep>(options_.low_speed_time.count(), LONG_MAX)));
        }
        set(CURLOPT_USERAGENT, options_.user_agent.c_str());
        if (share_ && share_->get() != nullptr) set(CURLOPT_SHARE, share_->get());
        // Converted explicitly: the callbacks are noexcept, curl_write_callback's type is not.
        set(CURLOPT_HEADERFUNCTION, static_cast<curl_write_callback>(&detail::curl_exchange::on_header));
        set(CURLOPT_HEADERDATA, static_cast<void*>(&exchange));
        set(CURLOPT_WRITEFUNCTION, static_cast<curl_write_callback>(&detail::curl_exchange::on_body));
        set(CURLOPT_WRITEDATA, static_cast<void*>(&exchange));
        set(CURLOPT_HTTPHEADER, headers);
        if (request.bypass_proxy) {
            // Both: "" disables a configured proxy, "*" makes every host exempt from env proxies,
            // so a managed-identity `secret` reaches the endpoint and nothing in between.
            set(CURLOPT_PROXY, "");
            set(CURLOPT_NOPROXY, "*");
        }
        switch (request.method) {
        case http_method::get: set(CURLOPT_HTTPGET, 1L); break;
        case http_method::head: set(CURLOPT_NOBODY, 1L); break;
        case http_method::post:
        case http_method::put:
        case http_method::delete_:
            if (request.method != http_method::post) set(CURLOPT_CUSTOMREQUEST, to_string(request.method));
            if (request.method != http_method::delete_ || !request.body.empty()) {
                set(CURLOPT_POST, 1L);
                set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
                set(CURLOPT_POSTFIELDS, request.body.data());
            }
            break;
        }
        return rc;
    }

    error make_error(CURLcode code, const http_request& request, const url_parts& target,
                     const std::string& where, const detail::curl_exchange& exchange, curl_off_t content_length,
                     const char* error_text) const {
        std::string text = error_text[0] != '\0' ? std::string(error_text) : std::string(curl_easy_strerror(code));
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        // libcurl's texts name hosts and ports, not URLs or headers; scrub anyway, in case one ever does.
        const auto query = request.url.find('?');
        if (query != std::string::npos) text = detail::scrub_secrets(std::move(text), {std::string_view(request.url).substr(query + 1)});
        for (const auto& field : request.headers)
            if (field.second.size() >= 8) text = detail::scrub_secrets(std::move(text), {field.second});

        const std::string curl_part = " (curl error " + std::to_string(static_cast<int>(code)) + ": " + curl_easy_strerror(code) + ")";
        errc kind = detail::curl_errc(code);
        std::string message;
        const bool body_cut = exchange.headers_complete() && content_length >= 0 &&
                              exchange.body_bytes() < static_cast<std::size_t>(content_length);
        if (exchange.cancelled()) {
            kind = errc::cancelled;
            message = where + ": the body sink stopped the transfer after " + std::to_string(exchange.body_bytes()) + " bytes";
        } else if (code == CURLE_PARTIAL_FILE || (body_cut && (code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING))) {
            // A reset mid-body loses the same bytes as an early close: both are resumable truncation.
            kind = errc::truncated;
            message = where + ": the response body ended after " + std::to_string(exchange.body_bytes()) + " of " +
                      (content_length >= 0 ? std::to_string(content_length) : std::string("an unknown number of")) +
                      " bytes: " + text + curl_part;
        } else {
            if (code == CURLE_WRITE_ERROR) kind = errc::io;
            message = where + ": " + text + curl_part;
            if (target.scheme == "https" && (code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION))
                message += "; TLS verification is always on (see curl_transport_options::ca_file)";
        }
        error out(kind, std::move(message), exchange.headers_complete() ? exchange.status() : 0);
        out.request_id = exchange.request_id();
        out.client_request_id = std::string(request.headers.value_or("x-ms-client-request-id", ""));
        return out;
    }

    const curl_transport_options& options_;
    CURLcode init_code_;
    // Declared before the pool: every pooled handle must be cleaned up before the share it uses.
    std::unique_ptr<detail::curl_share> share_;
    mutable std::mutex pool_mutex_;
    std::vector<pooled_handle> idle_;  // most recently returned last
};

AZMI_DECL curl_transport::curl_transport(curl_transport_options opts) : options_(std::move(opts)) {
    if (options_.user_agent.empty()) options_.user_agent = std::string("azmi/") + version_string;
    state_ = std::make_unique<state>(options_);
}

AZMI_DECL curl_transport::~curl_transport() = default;

AZMI_DECL std::size_t curl_transport::idle_connections() const { return state_->idle_connections(); }

AZMI_DECL result<http_response> curl_transport::do_send(const http_request& request, body_sink* sink) {
    return state_->send(request, sink);
}

AZMI_DECL std::shared_ptr<curl_transport> make_curl_transport(curl_transport_options options) {
    return std::make_shared<curl_transport>(std::move(options));
}

AZMI_DECL std::shared_ptr<curl_transport> default_curl_transport() {
    static const std::shared_ptr<curl_transport> instance = make_curl_transport();
    return instance;
}

AZMI_END_NAMESPACE

// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `loopback_server`: a small threaded HTTP/1.1 server on 127.0.0.1 for tests that must cross a real
/// socket. It answers with scripted raw bytes (so a test can send a malformed, truncated, stalled or
/// reset response), records every request exactly as received and counts accepted connections.
///
/// Every wait is bounded (poll timeouts, an idle limit, stalls that end when the server stops), so a
/// broken test fails instead of hanging. POSIX only; binds 127.0.0.1 and nothing else.
///
/// Example:
///     azmi_test::loopback_server server;
///     server.push(azmi_test::scripted_reply::http(200, "hello"));
///     auto res = transport->send(request_for(server.url("/x")));
///     CHECK(server.requests().at(0).target == "/x");

#include <arpa/inet.h>   // htons, ntohs, inet_pton
#include <netinet/in.h>  // sockaddr_in, IPPROTO_TCP
#include <netinet/tcp.h> // TCP_NODELAY
#include <poll.h>        // poll
#include <sys/socket.h>  // socket, bind, listen, accept, recv, send, setsockopt, shutdown
#include <unistd.h>      // close

#include <atomic>              // atomic
#include <cerrno>              // errno, EINTR
#include <chrono>              // milliseconds, steady_clock
#include <condition_variable>  // condition_variable
#include <cstddef>             // size_t
#include <cstdint>             // uint16_t
#include <cstring>             // strerror
#include <deque>               // deque
#include <functional>          // function
#include <memory>              // make_shared
#include <mutex>               // mutex, unique_lock, lock_guard
#include <optional>            // optional
#include <stdexcept>           // runtime_error
#include <string>              // string
#include <string_view>         // string_view
#include <thread>              // thread
#include <utility>             // move, pair
#include <vector>              // vector

namespace azmi_test {

namespace detail {
inline char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}
inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

/// A socket descriptor closed on destruction.
class socket_fd {
public:
    explicit socket_fd(int fd = -1) noexcept : fd_(fd) {}
    socket_fd(socket_fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    socket_fd& operator=(socket_fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = other.fd_;
            other.fd_ = -1;
        }
        return *this;
    }
    socket_fd(const socket_fd&) = delete;
    socket_fd& operator=(const socket_fd&) = delete;
    ~socket_fd() { reset(); }
    int get() const noexcept { return fd_; }
    void reset() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

/// A TCP socket bound to 127.0.0.1:`port` (0: any free port); throws on failure.
inline socket_fd bind_loopback(std::uint16_t port = 0) {
    socket_fd fd(::socket(AF_INET, SOCK_STREAM, 0));
    if (fd.get() < 0) throw std::runtime_error(std::string("loopback_server: socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error(std::string("loopback_server: bind: ") + std::strerror(errno));
    return fd;
}

inline std::uint16_t local_port(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error(std::string("loopback_server: getsockname: ") + std::strerror(errno));
    return ntohs(addr.sin_port);
}
}  // namespace detail

/// A port on 127.0.0.1 where nothing listens (bound once, then released), for "connection refused".
inline std::uint16_t refused_port() {
    auto fd = detail::bind_loopback();
    return detail::local_port(fd.get());
}

/// One request as the server received it.
struct recorded_request {
    std::string raw;      ///< head and body, byte for byte
    std::string method;   ///< "GET", …
    std::string target;   ///< request-target as sent: "/a?b" (origin form) or "http://h:p/a" via a proxy
    std::string version;  ///< "HTTP/1.1"
    std::vector<std::pair<std::string, std::string>> headers;  ///< in order, values trimmed
    std::string body;
    std::size_t connection = 0;  ///< which accepted connection carried it, counting from 1

    /// The first value of header `name` (case-insensitive), or nothing.
    std::optional<std::string> header(std::string_view name) const {
        for (const auto& h : headers)
            if (detail::iequals(h.first, name)) return h.second;
        return std::nullopt;
    }
    /// How many times header `name` was sent.
    std::size_t header_count(std::string_view name) const {
        std::size_t n = 0;
        for (const auto& h : headers)
            if (detail::iequals(h.first, name)) ++n;
        return n;
    }
};

/// What the server does in answer to one request: send pieces (each after a pause), then maybe stall,
/// then keep the connection, close it, or reset it.
struct scripted_reply {
    struct piece {
        std::string bytes;
        std::chrono::milliseconds delay_before{0};
    };
    std::vector<piece> pieces;
    /// Silence after the last piece, before closing or reading the next request; ends early when the
    /// server stops.
    std::chrono::milliseconds stall{0};
    bool close_after = false;  ///< close the connection after this reply
    bool reset_after = false;  ///< close with a TCP RST (SO_LINGER 0) instead of a FIN

    /// Exactly these bytes.
    static scripted_reply raw(std::string bytes) {
        scripted_reply r;
        r.pieces.push_back(piece{std::move(bytes), std::chrono::milliseconds(0)});
        return r;
    }
    /// A status line, `headers`, a matching Content-Length and `body`.
    static scripted_reply http(int status, std::string body = {},
                               std::vector<std::pair<std::string, std::string>> headers = {}) {
        return raw(head(status, headers, body.size()) + body);
    }
    /// "HTTP/1.1 <status> <reason>" plus `headers` plus Content-Length (unless negative) and the blank line.
    static std::string head(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                            std::optional<std::size_t> content_length) {
        std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
        for (const auto& h : headers) out += h.first + ": " + h.second + "\r\n";
        if (content_length) out += "Content-Length: " + std::to_string(*content_length) + "\r\n";
        return out + "\r\n";
    }
    /// No answer at all for `d` (then the connection closes).
    static scripted_reply silence(std::chrono::milliseconds d) {
        scripted_reply r;
        r.stall = d;
        r.close_after = true;
        return r;
    }
    /// Adds `bytes`, sent after a pause of `delay`.
    scripted_reply& then(std::string bytes, std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
        pieces.push_back(piece{std::move(bytes), delay});
        return *this;
    }
    scripted_reply& and_stall(std::chrono::milliseconds d) {
        stall = d;
        return *this;
    }
    scripted_reply& and_close() {
        close_after = true;
        return *this;
    }
    scripted_reply& and_reset() {
        reset_after = true;
        close_after = true;
        return *this;
    }

    static const char* reason(int status) {
        switch (status) {
        case 100: return "Continue";
        case 200: return "OK";
        case 204: return "No Content";
        case 206: return "Partial Content";
        case 302: return "Found";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 500: return "Internal Server Error";
        default: return "Status";
        }
    }
};

/// The server. Replies come from the queue (`push`) first, then from the handler, else a 500.
class loopback_server {
public:
    using handler = std::function<scripted_reply(const recorded_request&)>;

    /// Binds 127.0.0.1 on a free port and starts accepting. `idle_limit` bounds how long a connection
    /// may sit without sending a request before the server closes it.
    explicit loopback_server(std::chrono::milliseconds idle_limit = std::chrono::seconds(10))
        : listener_(detail::bind_loopback()), idle_limit_(idle_limit) {
        if (::listen(listener_.get(), 64) != 0)
            throw std::runtime_error(std::string("loopback_server: listen: ") + std::strerror(errno));
        port_ = detail::local_port(listener_.get());
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    loopback_server(const loopback_server&) = delete;
    loopback_server& operator=(const loopback_server&) = delete;
    ~loopback_server() { stop(); }

    std::uint16_t port() const noexcept { return port_; }
    /// "http://127.0.0.1:<port><target>".
    std::string url(std::string_view target = "/") const {
        return "http://127.0.0.1:" + std::to_string(port_) + std::string(target);
    }
    /// "127.0.0.1:<port>".
    std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }

    /// Queues a reply for the next request (first in, first out).
    void push(scripted_reply reply) {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(reply));
    }
    /// Answers every request the queue does not (called from connection threads: be thread-safe).
    void set_handler(handler h) {
        std::lock_guard<std::mutex> lock(mutex_);
        handler_ = std::move(h);
    }

    std::vector<recorded_request> requests() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }
    std::size_t request_count() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_.size();
    }
    /// Connections accepted so far.
    std::size_t connections() const noexcept { return connections_.load(); }

    /// Waits until at least `n` connections were accepted, at most `timeout`.
    bool wait_for_connections(std::size_t n, std::chrono::milliseconds timeout) const {
        std::unique_lock<std::mutex> lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return connections_.load() >= n; });
    }

    /// Stops accepting, wakes every stalled reply, closes every connection and joins all threads.
    void stop() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
            stopping_ = true;
        }
        changed_.notify_all();
        if (acceptor_.joinable()) acceptor_.join();
        std::vector<std::thread> workers;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            workers.swap(workers_);
        }
        for (auto& t : workers) t.join();
        listener_.reset();
    }

private:
    static constexpr int poll_slice_ms = 50;  // how quickly threads notice stop()

    bool stopping() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return stopping_;
    }

    /// Sleeps `d`, or less if the server stops; false when it stopped.
    bool pause(std::chrono::milliseconds d) {
        std::unique_lock<std::mutex> lock(mutex_);
        return !changed_.wait_for(lock, d, [this] { return stopping_; });
    }

    void accept_loop() {
        while (!stopping()) {
            pollfd p{listener_.get(), POLLIN, 0};
            const int ready = ::poll(&p, 1, poll_slice_ms);
            if (ready <= 0) continue;
            detail::socket_fd client(::accept(listener_.get(), nullptr, nullptr));
            if (client.get() < 0) continue;
            const int one = 1;
            ::setsockopt(client.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // pieces leave when sent
            std::lock_guard<std::mutex> lock(mutex_);
            const std::size_t id = ++connections_;
            workers_.emplace_back([this, id, fd = std::make_shared<detail::socket_fd>(std::move(client))] {
                serve(*fd, id);
            });
            changed_.notify_all();
        }
    }

    /// Receives into `buffer` until `done()`; false on close, error, idle limit or stop.
    template <class Done>
    bool receive(int fd, std::string& buffer, Done done) {
        auto idle_since = std::chrono::steady_clock::now();
        char chunk[16 * 1024];
        while (!done()) {
            if (stopping()) return false;
            if (std::chrono::steady_clock::now() - idle_since > idle_limit_) return false;
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, poll_slice_ms);
            if (ready < 0 && errno != EINTR) return false;
            if (ready <= 0) continue;
            const auto got = ::recv(fd, chunk, sizeof chunk, 0);
            if (got <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(got));
            idle_since = std::chrono::steady_clock::now();
        }
        return true;
    }

    bool send_all(int fd, std::string_view bytes) {
        while (!bytes.empty()) {
            if (stopping()) return false;
            pollfd p{fd, POLLOUT, 0};
            const int ready = ::poll(&p, 1, poll_slice_ms);
            if (ready < 0 && errno != EINTR) return false;
            if (ready <= 0) continue;
            const auto sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent < 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
        return true;
    }

    static bool parse_head(std::string_view head, recorded_request& out) {
        const auto line_end = head.find("\r\n");
        const std::string_view request_line = head.substr(0, line_end);
        const auto sp1 = request_line.find(' ');
        const auto sp2 = request_line.rfind(' ');
        if (sp1 == std::string_view::npos || sp2 == sp1) return false;
        out.method = std::string(request_line.substr(0, sp1));
        out.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
        out.version = std::string(request_line.substr(sp2 + 1));
        std::size_t at = line_end == std::string_view::npos ? head.size() : line_end + 2;
        while (at < head.size()) {
            auto end = head.find("\r\n", at);
            if (end == std::string_view::npos) end = head.size();
            const std::string_view line = head.substr(at, end - at);
            at = end + 2;
            if (line.empty()) break;
            const auto colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            out.headers.emplace_back(std::string(line.substr(0, colon)), std::string(detail::trim(line.substr(colon + 1))));
        }
        return true;
    }

    scripted_reply reply_for(const recorded_request& request) {
        handler h;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!queue_.empty()) {
                scripted_reply r = std::move(queue_.front());
                queue_.pop_front();
                return r;
            }
            h = handler_;
        }
        if (h) return h(request);
        return scripted_reply::http(500, "loopback_server: no scripted reply").and_close();
    }

    void serve(detail::socket_fd& socket, std::size_t id) {
        try {
            serve_requests(socket.get(), id);
        } catch (...) {
            // A test bug (e.g. a throwing handler) must fail that test, not terminate the process:
            // the connection just closes.
        }
    }

    void serve_requests(int fd, std::size_t id) {
        std::string buffer;
        for (;;) {
            if (!receive(fd, buffer, [&] { return buffer.find("\r\n\r\n") != std::string::npos || (!buffer.empty() && !(buffer[0] >= 'A' && buffer[0] <= 'Z')); }))
                return;
            if (!(buffer[0] >= 'A' && buffer[0] <= 'Z')) {
                // Not HTTP (e.g. a TLS ClientHello): answer in plain text and hang up.
                send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            const auto head_end = buffer.find("\r\n\r\n") + 4;
            recorded_request request;
            request.connection = id;
            if (!parse_head(std::string_view(buffer).substr(0, head_end), request)) {
                send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            std::size_t body_size = 0;
            if (auto length = request.header("Content-Length")) body_size = std::stoul(*length);
            if (!receive(fd, buffer, [&] { return buffer.size() >= head_end + body_size; })) return;
            request.body = buffer.substr(head_end, body_size);
            request.raw = buffer.substr(0, head_end + body_size);
            buffer.erase(0, head_end + body_size);
            const bool client_closes = request.header("Connection").value_or("") == "close";
            {
                std::lock_guard<std::mutex> lock(mutex_);
                requests_.push_back(request);
            }
            changed_.notify_all();

            const scripted_reply reply = reply_for(request);
            for (const auto& piece : reply.pieces) {
                if (piece.delay_before.count() > 0 && !pause(piece.delay_before)) return;
                if (!send_all(fd, piece.bytes)) return;
            }
            if (reply.stall.count() > 0 && !pause(reply.stall)) return;
            if (reply.reset_after) {
                const linger hard{1, 0};
                ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
                return;
            }
            if (reply.close_after || client_closes) {
                ::shutdown(fd, SHUT_WR);
                return;
            }
        }
    }

    detail::socket_fd listener_;
    std::chrono::milliseconds idle_limit_;
    std::uint16_t port_ = 0;
    std::thread acceptor_;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    bool stopping_ = false;
    std::atomic<std::size_t> connections_{0};
    std::vector<std::thread> workers_;
    std::deque<scripted_reply> queue_;
    handler handler_;
    std::vector<recorded_request> requests_;
};

}  // namespace azmi_test

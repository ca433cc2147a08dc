// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Runs a program as a subprocess with a changed environment and captures its exit status,
/// stdout and stderr, with a time limit: how the integration tests check the examples exactly as
/// a user (or Azure ML) would start them. POSIX only.

#include <fcntl.h>     // open, O_NONBLOCK
#include <stdlib.h>    // posix_openpt, grantpt, unlockpt, ptsname
#include <signal.h>    // kill, SIGKILL, SIGINT
#include <sys/wait.h>  // waitpid, WIFEXITED, …
#include <unistd.h>    // fork, execve, dup2, _exit, unlink, close

#include <cerrno>     // errno
#include <chrono>     // steady_clock, seconds, milliseconds
#include <cstddef>    // size_t
#include <cstdlib>    // mkstemp
#include <cstring>    // strerror
#include <fstream>    // ifstream, ofstream
#include <iterator>   // istreambuf_iterator
#include <map>        // map
#include <optional>   // optional
#include <stdexcept>  // runtime_error
#include <string>     // string
#include <thread>     // this_thread::sleep_for
#include <utility>    // move
#include <vector>     // vector

extern char** environ;

namespace azmi_test {

struct process_options {
    std::vector<std::string> args;
    /// Changes to the current environment: a value sets the variable, nullopt removes it.
    std::map<std::string, std::optional<std::string>> env;
    /// Becomes the child's stdin (empty: an empty stdin).
    std::string stdin_text;
    /// The child is killed after this long, and `timed_out` is set.
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    /// Give the child a pseudo-terminal as stderr (isatty(2) is true), e.g. to see a progress bar.
    bool stderr_is_terminal = false;
    /// When set, SIGINT is sent to the child this long after it started (a user's Ctrl-C).
    std::optional<std::chrono::milliseconds> interrupt_after;
};

struct process_result {
    int exit_code = -1;  ///< the exit status, or 128 + signal when killed by a signal
    bool timed_out = false;
    std::string out;
    std::string err;
};

namespace detail {
/// A temporary file removed at scope end.
struct temp_file {
    std::string path;
    explicit temp_file(const std::string& content = {}) {
        std::string pattern = "/tmp/azmi-process-XXXXXX";
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0) throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
        ::close(fd);
        path = pattern;
        if (!content.empty()) std::ofstream(path, std::ios::binary) << content;
    }
    ~temp_file() { ::unlink(path.c_str()); }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
    std::string read() const {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
};
}  // namespace detail

/// Runs `program` with `options`; throws std::runtime_error only when it cannot be started.
inline process_result run_process(const std::string& program, const process_options& options) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& [name, value] : options.env) {
        if (value) env[name] = *value;
        else env.erase(name);
    }
    std::vector<std::string> env_strings;
    for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> arg_strings{program};
    arg_strings.insert(arg_strings.end(), options.args.begin(), options.args.end());
    std::vector<char*> argv;
    for (auto& s : arg_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    detail::temp_file in(options.stdin_text), out, err;
    int pty_master = -1;
    std::string pty_slave;
    if (options.stderr_is_terminal) {
        pty_master = ::posix_openpt(O_RDWR | O_NOCTTY);
        if (pty_master < 0 || ::grantpt(pty_master) != 0 || ::unlockpt(pty_master) != 0 || !::ptsname(pty_master))
            throw std::runtime_error(std::string("cannot open a pseudo-terminal: ") + std::strerror(errno));
        pty_slave = ::ptsname(pty_master);  // before fork: ptsname is not async-signal-safe
        ::fcntl(pty_master, F_SETFL, ::fcntl(pty_master, F_GETFL) | O_NONBLOCK);
    }
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // Child: only async-signal-safe calls from here to execve.
        const int fd_in = ::open(in.path.c_str(), O_RDONLY);
        const int fd_out = ::open(out.path.c_str(), O_WRONLY | O_TRUNC);
        const int fd_err = pty_master >= 0 ? ::open(pty_slave.c_str(), O_RDWR | O_NOCTTY)
                                           : ::open(err.path.c_str(), O_WRONLY | O_TRUNC);
        if (fd_in < 0 || fd_out < 0 || fd_err < 0 || ::dup2(fd_in, 0) < 0 || ::dup2(fd_out, 1) < 0 ||
            ::dup2(fd_err, 2) < 0)
            ::_exit(126);
        ::execve(program.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }

    process_result result;
    std::string terminal;
    // Drains the terminal, so a chatty child never blocks on a full pty buffer.
    auto drain = [&] {
        if (pty_master < 0) return;
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::read(pty_master, buffer, sizeof buffer);
            if (n <= 0) return;  // EAGAIN: nothing now; EIO: the child closed its end
            terminal.append(buffer, static_cast<std::size_t>(n));
        }
    };
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + options.timeout;
    bool interrupted = false;
    int status = 0;
    for (;;) {
        drain();
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (options.interrupt_after && !interrupted && std::chrono::steady_clock::now() > started + *options.interrupt_after) {
            interrupted = true;
            ::kill(pid, SIGINT);  // our own child, by its pid
        }
        if (done < 0 && errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
        if (std::chrono::steady_clock::now() > deadline && !result.timed_out) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);  // our own child, by its pid
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
    result.out = out.read();
    if (pty_master >= 0) {
        drain();
        ::close(pty_master);
        result.err = std::move(terminal);
    } else {
        result.err = err.read();
    }
    return result;
}

}  // namespace azmi_test

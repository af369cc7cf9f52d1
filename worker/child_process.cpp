#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace docshift {

namespace {

std::system_error system_error(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

void set_limit(int resource, std::uint64_t value) {
    const rlimit limit{value, value};
    setrlimit(resource, &limit);
}

// Leaves the network namespace of the service: a new, empty one has only a
// loopback interface, which is down. Without privileges a user namespace
// must come first; where neither is allowed the engine keeps the network.
void drop_network() {
    if (unshare(CLONE_NEWNET) == 0) {
        return;
    }
    unshare(CLONE_NEWUSER | CLONE_NEWNET);
}

// Runs in the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const child_options& options,
                             const std::vector<char*>& argv,
                             const std::vector<char*>& envp) {
    setpgid(0, 0);
    if (options.isolate_network) {
        drop_network();
    }

    const auto& limits = options.limits;
    set_limit(RLIMIT_AS, limits.address_space_bytes);
    set_limit(RLIMIT_FSIZE, limits.file_size_bytes);
    set_limit(RLIMIT_NOFILE, limits.open_files);
    set_limit(RLIMIT_CORE, 0);
    // CPU time beyond the wall clock means a busy loop: stop it even if the
    // parent is gone.
    set_limit(RLIMIT_CPU,
              static_cast<std::uint64_t>(limits.wall_clock.count()) * 2);

    const int null_fd = open("/dev/null", O_RDONLY);
    const int log_fd = open(options.output_log.c_str(),
                            O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0640);
    if (null_fd < 0 || log_fd < 0 || dup2(null_fd, 0) < 0 ||
        dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0 ||
        chdir(options.working_dir.c_str()) != 0) {
        _exit(127);
    }

    // Signals the worker ignores or handles must not stay so in the engine.
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);

    execve(argv[0], argv.data(), envp.data());
    _exit(127);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (const auto& s : strings) {
        pointers.push_back(const_cast<char*>(s.c_str()));
    }
    pointers.push_back(nullptr);
    return pointers;
}

}  // namespace

child_process::child_process(const child_options& options)
    : limit_(options.limits.wall_clock) {
    // Everything exec_child() needs is built before the fork.
    const auto argv = c_strings(options.argv);
    const auto envp = c_strings(options.environment);

    pid_ = fork();
    if (pid_ < 0) {
        throw system_error("cannot start '" + options.argv.front() + "'");
    }
    if (pid_ == 0) {
        exec_child(options, argv, envp);
    }

    // Also set from this side, so the group exists before any kill.
    setpgid(pid_, pid_);
    // Through syscall(): glibc 2.36's wrapper is missing from C++ builds.
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd_ < 0) {
        const auto error =
            system_error("cannot watch process " + std::to_string(pid_));
        kill_group();
        reap();
        throw error;
    }
}

child_process::~child_process() {
    if (!reaped_) {
        kill_group();
        reap();
    }
    if (pidfd_ >= 0) {
        close(pidfd_);
    }
}

void child_process::kill_group() noexcept {
    // Only while the leader is unreaped: until then its pid, and so the
    // group's id, cannot have been given to another process.
    if (pid_ > 0 && !reaped_) {
        kill(-pid_, SIGKILL);
    }
}

int child_process::reap() noexcept {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
}

bool child_process::exited() const noexcept {
    // WNOWAIT leaves the child a zombie, so its group can still be killed.
    siginfo_t info{};
    return waitid(P_PID, static_cast<id_t>(pid_), &info,
                  WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid_;
}

child_outcome child_process::wait(const std::function<void()>& tick,
                                  std::chrono::seconds tick_every) {
    using namespace std::chrono;
    const auto start = steady_clock::now();
    const auto deadline = start + limit_;
    auto next_tick = start + tick_every;

    child_outcome outcome;
    while (!exited()) {
        const auto now = steady_clock::now();
        if (now >= deadline) {
            outcome.timed_out = true;
            break;
        }
        if (now >= next_tick) {
            tick();
            next_tick = now + tick_every;
        }

        // Sleep until the child exits, the next tick or the deadline.
        const auto wake = std::min(deadline, next_tick);
        const auto wait_ms = duration_cast<milliseconds>(wake - now);
        pollfd fd{pidfd_, POLLIN, 0};
        poll(&fd, 1, static_cast<int>(wait_ms.count()) + 1);
    }

    // Whatever the engine left running in its group goes with it.
    kill_group();
    const int status = reap();

    outcome.elapsed = duration_cast<milliseconds>(steady_clock::now() - start);
    outcome.exited = WIFEXITED(status);
    outcome.exit_code = outcome.exited ? WEXITSTATUS(status) : -1;
    outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return outcome;
}

void become_subreaper() {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
}

int reap_orphans() noexcept {
    int reaped = 0;
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
        ++reaped;
    }
    return reaped;
}

}  // namespace docshift

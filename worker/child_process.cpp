#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <system_error>

namespace docshift {

namespace {

std::system_error system_error(const std::string& what) {
    return std::system_error(errno, std::generic_category(), what);
}

// Children that a child_process owns: reap_orphans() leaves them to their
// owner, whose pid and group stay valid until it reaps them. Held across
// fork(), so no child exists unregistered.
std::mutex owned_mutex;
std::set<pid_t> owned_pids;

// The ends of the child's stdin and stdout pipes.
struct request_pipes {
    int child_in = -1;
    int parent_out = -1;
    int parent_in = -1;
    int child_out = -1;
};

void close_fd(int& fd) noexcept {
    if (fd >= 0) {
        close(fd);
        fd = -1;
    }
}

request_pipes open_pipes() {
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0) {
        throw system_error("cannot create the engine's input pipe");
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        const auto error =
            system_error("cannot create the engine's output pipe");
        close(in[0]);
        close(in[1]);
        throw error;
    }
    return {in[0], in[1], out[0], out[1]};
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
                             const request_pipes& pipes,
                             const std::vector<char*>& argv,
                             const std::vector<char*>& envp) {
    setpgid(0, 0);
    if (options.isolate_network && !options.confine) {
        drop_network();
    }

    const auto& limits = options.limits;
    set_limit(RLIMIT_AS, limits.address_space_bytes);
    set_limit(RLIMIT_FSIZE, limits.file_size_bytes);
    set_limit(RLIMIT_NOFILE, limits.open_files);
    set_limit(RLIMIT_CORE, 0);
    // CPU time beyond the wall clock means a busy loop: stop it even if the
    // parent is gone.
    if (limits.unlimited_cpu) {
        set_limit(RLIMIT_CPU, RLIM_INFINITY);
    } else if (limits.cpu_seconds > 0) {
        set_limit(RLIMIT_CPU, limits.cpu_seconds);
    } else {
        set_limit(RLIMIT_CPU,
                  static_cast<std::uint64_t>(limits.wall_clock.count()) * 2);
    }

    const int in_fd =
        options.request_pipes ? pipes.child_in : open("/dev/null", O_RDONLY);
    const int log_fd = open(options.output_log.c_str(),
                            O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0640);
    const int out_fd = options.request_pipes ? pipes.child_out : log_fd;
    if (in_fd < 0 || log_fd < 0 || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 ||
        dup2(log_fd, 2) < 0 || chdir(options.working_dir.c_str()) != 0) {
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
    const auto command = options.confine
                             ? sandboxed_argv(*options.confine, options.argv,
                                              options.working_dir)
                             : options.argv;
    const auto argv = c_strings(command);
    const auto envp = c_strings(options.environment);
    auto pipes = options.request_pipes ? open_pipes() : request_pipes{};

    {
        const std::lock_guard lock(owned_mutex);
        pid_ = fork();
        if (pid_ == 0) {
            exec_child(options, pipes, argv, envp);
        }
        if (pid_ > 0) {
            owned_pids.insert(pid_);
        }
    }
    close_fd(pipes.child_in);
    close_fd(pipes.child_out);
    input_fd_ = pipes.parent_out;
    output_fd_ = pipes.parent_in;
    if (pid_ < 0) {
        const auto error =
            system_error("cannot start '" + options.argv.front() + "'");
        close_fd(input_fd_);
        close_fd(output_fd_);
        throw error;
    }

    // Also set from this side, so the group exists before any kill.
    setpgid(pid_, pid_);
    // Through syscall(): glibc 2.36's wrapper is missing from C++ builds.
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd_ < 0) {
        const auto error =
            system_error("cannot watch process " + std::to_string(pid_));
        stop();
        throw error;
    }
}

child_process::~child_process() {
    stop();
    close_fd(pidfd_);
}

void child_process::stop() noexcept {
    close_fd(input_fd_);
    close_fd(output_fd_);
    if (!reaped_) {
        kill_group();
        reap();
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
    const std::lock_guard lock(owned_mutex);
    owned_pids.erase(pid_);
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

namespace {

// The state letter and parent of a process, from /proc/<pid>/stat; the
// name in parentheses may hold spaces, so fields count from its end.
bool zombie_child_of(pid_t parent, const std::filesystem::path& stat_file) {
    std::ifstream in(stat_file);
    std::string text;
    std::getline(in, text);
    const auto end = text.rfind(')');
    if (end == std::string::npos || end + 4 >= text.size()) {
        return false;
    }
    const char state = text[end + 2];
    const auto ppid = std::strtol(text.c_str() + end + 4, nullptr, 10);
    return state == 'Z' && ppid == parent;
}

}  // namespace

int kill_strays(const std::filesystem::path& folder) noexcept {
    const auto inside = folder.string() + "/";
    const auto self = getpid();
    const auto uid = getuid();
    int killed = 0;
    try {
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const auto name = entry.path().filename().string();
            if (name.empty() || name[0] < '1' || name[0] > '9') {
                continue;
            }
            const auto pid = static_cast<pid_t>(std::stol(name));
            struct stat owner {};
            if (pid == self || stat(entry.path().c_str(), &owner) != 0 ||
                owner.st_uid != uid) {
                continue;
            }
            std::ifstream in(entry.path() / "cmdline");
            std::string argument;
            while (std::getline(in, argument, '\0')) {
                if (argument.find(inside) != std::string::npos) {
                    kill(pid, SIGKILL);
                    ++killed;
                    break;
                }
            }
        }
    } catch (const std::exception&) {
        // A process that went away while listed.
    }
    return killed;
}

int reap_orphans() noexcept {
    int reaped = 0;
    const pid_t self = getpid();
    try {
        const std::lock_guard lock(owned_mutex);
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const auto name = entry.path().filename().string();
            if (name.empty() || name[0] < '1' || name[0] > '9') {
                continue;
            }
            const auto pid = static_cast<pid_t>(std::stol(name));
            if (owned_pids.contains(pid) ||
                !zombie_child_of(self, entry.path() / "stat")) {
                continue;
            }
            if (waitpid(pid, nullptr, WNOHANG) == pid) {
                ++reaped;
            }
        }
    } catch (const std::exception&) {
        // A process that went away while listed; the next pass gets the rest.
    }
    return reaped;
}

}  // namespace docshift

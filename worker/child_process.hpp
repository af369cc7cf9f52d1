// Runs an engine as a child process in its own process group, with
// resource limits, a private working folder, no network where the system
// allows, optionally a sandbox, and a wall-clock limit after which the whole
// group is killed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sandbox.hpp"

namespace docshift {

struct child_limits {
    std::chrono::seconds wall_clock{120};
    std::uint64_t address_space_bytes = 4ULL << 30;
    std::uint64_t file_size_bytes = 1ULL << 30;
    std::uint64_t open_files = 1024;
    // CPU seconds; 0: twice the wall clock. A long-lived engine that
    // limits each request itself asks for no limit here.
    std::uint64_t cpu_seconds = 0;
    bool unlimited_cpu = false;
};

struct child_options {
    std::vector<std::string> argv;  // argv[0] is the program's path
    std::filesystem::path working_dir;
    std::vector<std::string> environment;  // NAME=value, the whole set
    std::filesystem::path output_log;      // stdout and stderr go here
    child_limits limits;
    bool isolate_network = true;
    // Run inside this sandbox, which also takes the network away.
    std::optional<sandbox> confine;
    // Connect stdin and stdout to pipes the parent holds, for engines that
    // take requests; stderr still goes to `output_log`.
    bool request_pipes = false;
};

struct child_outcome {
    bool timed_out = false;
    bool exited = false;  // false: killed by a signal
    int exit_code = -1;   // when exited
    int signal = 0;       // when killed
    std::chrono::milliseconds elapsed{0};
};

// A running child; its destructor kills the whole group and reaps it, so no
// engine outlives the job that started it.
class child_process {
public:
    // Forks and execs; throws std::system_error when the fork fails. A
    // failed exec shows as exit code 127.
    explicit child_process(const child_options& options);
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;
    ~child_process();

    // Waits for the child to exit or for the limit to pass, calling `tick`
    // every `tick_every` meanwhile. Kills the group on timeout.
    child_outcome wait(const std::function<void()>& tick,
                       std::chrono::seconds tick_every);

    pid_t pid() const noexcept { return pid_; }

    // With `request_pipes`: the child's stdin and stdout; -1 otherwise.
    int input_fd() const noexcept { return input_fd_; }
    int output_fd() const noexcept { return output_fd_; }

    // Readable once the child has exited.
    int exit_fd() const noexcept { return pidfd_; }

    // Kills the whole group and reaps the child.
    void stop() noexcept;

private:
    void kill_group() noexcept;
    bool exited() const noexcept;
    int reap() noexcept;  // returns the wait status

    pid_t pid_ = -1;
    int pidfd_ = -1;
    int input_fd_ = -1;
    int output_fd_ = -1;
    std::chrono::seconds limit_;
    bool reaped_ = false;
};

// Becomes the reaper of orphaned descendants, so engines that fork
// helpers leave no zombies behind.
void become_subreaper();

// Kills this user's processes whose command line names something inside
// `folder`: what a worker that died without stopping its engines left
// running there. Returns how many.
int kill_strays(const std::filesystem::path& folder) noexcept;

// Reaps orphaned descendants that have already exited, but never a child
// a child_process owns; returns how many. Safe from any thread.
int reap_orphans() noexcept;

}  // namespace docshift

#include "process_pool.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "log.hpp"
#include "service_notify.hpp"

namespace docshift {

namespace {

volatile std::sig_atomic_t stopping = 0;
volatile std::sig_atomic_t busy_now = 0;

// A child crashing again this soon after its start is throttled, so a
// broken configuration does not fork in a tight loop.
constexpr std::time_t min_child_life_seconds = 1;

void on_parent_signal(int) {
    stopping = 1;
}

void on_child_signal(int) {
    stopping = 1;
    if (busy_now == 0) {
        _exit(EXIT_SUCCESS);
    }
}

void install(int signal, void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a blocking wait returns so the stop is noticed.
    sigaction(signal, &action, nullptr);
}

struct child {
    pid_t pid = 0;
    std::time_t started = 0;
};

child start_child(const serve_function& serve) {
    const pid_t pid = fork();
    if (pid < 0) {
        log::error("cannot fork a pool process",
                   {{"error", std::strerror(errno)}});
        return {};
    }
    if (pid == 0) {
        install(SIGTERM, on_child_signal);
        install(SIGINT, on_child_signal);
        if (stopping) {
            _exit(EXIT_SUCCESS);
        }
        serve();
        _exit(EXIT_SUCCESS);
    }
    return {pid, std::time(nullptr)};
}

void stop_children(const std::vector<child>& children) {
    for (const auto& c : children) {
        if (c.pid > 0) {
            kill(c.pid, SIGTERM);
        }
    }
    while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
}

// Replaces the child that exited as `pid`, if it was one of ours.
void replace_child(std::vector<child>& children, pid_t pid, int status,
                   const serve_function& serve) {
    for (auto& c : children) {
        if (c.pid != pid) {
            continue;
        }
        log::warning(
            "pool process exited, starting another",
            {{"pid", pid},
             {"status", WIFSIGNALED(status)
                            ? "signal " + std::to_string(WTERMSIG(status))
                            : "exit " + std::to_string(WEXITSTATUS(status))}});
        if (std::time(nullptr) - c.started < min_child_life_seconds) {
            sleep(1);
        }
        c = start_child(serve);
    }
}

}  // namespace

bool stop_requested() noexcept {
    return stopping != 0;
}

void set_busy(bool busy) noexcept {
    busy_now = busy ? 1 : 0;
}

void run_process_pool(int size, const serve_function& serve) {
    install(SIGTERM, on_parent_signal);
    install(SIGINT, on_parent_signal);

    std::vector<child> children;
    for (int i = 0; i < size; ++i) {
        children.push_back(start_child(serve));
    }
    log::info("pool started", {{"processes", size}});

    while (!stopping) {
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid > 0 && !stopping) {
            replace_child(children, pid, status, serve);
        }
    }

    log::info("stopping pool", {{"processes", size}});
    service_notify::stopping();
    stop_children(children);
}

}  // namespace docshift

// docshift-worker: takes queued jobs from PostgreSQL and converts them.
// Each slot is a thread with its own database connection, job runner and
// warm engine, so one worker runs several conversions at once.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "config.hpp"
#include "job_runner.hpp"
#include "job_store.hpp"
#include "log.hpp"
#include "pg.hpp"
#include "sandbox.hpp"
#include "service_notify.hpp"

namespace {

using namespace docshift;

std::atomic<bool> stopping{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// Written once on a stop signal and never read: every slot polls its read
// end, so one write wakes them all.
int wake_pipe[2] = {-1, -1};

void on_stop_signal(int) {
    const int saved = errno;
    stopping = true;
    [[maybe_unused]] const auto n = write(wake_pipe[1], "x", 1);
    errno = saved;
}

void install_signal_handlers() {
    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot create the stop pipe");
    }
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    // A dead engine's pipe shows as a failed write, not a dead worker.
    signal(SIGPIPE, SIG_IGN);
}

// Sleeps until `fd` is readable, `timeout` passes or a stop signal comes.
void wait_readable(int fd, std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
    // poll() skips a negative fd.
    poll(fds, 2, static_cast<int>(timeout.count()));
}

pg_connection connect(const config& settings) {
    for (std::chrono::seconds backoff{1};;
         backoff = std::min(backoff * 2, std::chrono::seconds{30})) {
        try {
            pg_connection db(settings.database);
            db.exec(std::string("LISTEN ") + job_queued_channel);
            log::info("connected to the database");
            return db;
        } catch (const database_unavailable& e) {
            log::warning(
                "database unavailable, retrying",
                {{"error", e.what()}, {"retry_seconds", backoff.count()}});
        }
        service_notify::watchdog();
        wait_readable(-1, backoff);
        if (stopping) {
            throw database_unavailable("stopped while connecting");
        }
    }
}

// Waits for a job notification, the poll interval or a stop signal.
void wait_for_work(pg_connection& db, int poll_seconds) {
    wait_readable(db.socket(), std::chrono::seconds{poll_seconds});
    service_notify::watchdog();
    db.notifications();
}

void work(const config& settings, pg_connection& db, job_runner& runner,
          const lease_policy& lease) {
    while (!stopping) {
        if (const int failed = fail_abandoned_jobs(db, lease); failed > 0) {
            log::warning("failed abandoned jobs", {{"count", failed}});
        }
        // A stop lets the running job finish; the rest stay queued.
        while (!stopping) {
            const auto claimed = claim_job(db, lease);
            if (!claimed) {
                break;
            }
            runner.run(db, *claimed);
            service_notify::watchdog();
            reap_orphans();
        }
        if (!stopping) {
            wait_for_work(db, settings.poll_seconds);
        }
    }
}

// Refuses to start where engines cannot be sandboxed as configured, rather
// than let documents read the host's files.
void confirm_sandbox(const config& settings) {
    if (settings.sandbox.empty()) {
        log::warning(
            "engines run without a sandbox: a document can read any file "
            "this worker can");
        return;
    }
    try {
        check_sandbox(settings.sandbox, settings.work_dir / "sandbox-check");
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(
            std::string("engines cannot be sandboxed on this host: ") +
            e.what() +
            "; allow unprivileged user namespaces, or set "
            "DOCSHIFT_SANDBOX=none to run engines unconfined");
    }
}

void run_slot(const config& settings, const lease_policy& lease, int slot) {
    try {
        job_runner runner(settings, lease, slot);
        while (!stopping) {
            try {
                pg_connection db = connect(settings);
                work(settings, db, runner, lease);
            } catch (const database_unavailable& e) {
                // A job whose outcome was not recorded is taken again once
                // its lease runs out.
                log::warning("lost the database",
                             {{"slot", slot}, {"error", e.what()}});
            }
        }
    } catch (const std::exception& e) {
        // The worker goes down with the slot; its supervisor starts it
        // again, and the slot's job is taken again after its lease.
        log::error("slot failed", {{"slot", slot}, {"error", e.what()}});
        stopping = true;
        [[maybe_unused]] const auto n = write(wake_pipe[1], "x", 1);
    }
    log::set_context("");
    log::info("slot stopped", {{"slot", slot}});
}

}  // namespace

int main() {
    try {
        const config settings = load_config();
        log::init("docshift-worker", settings.log_level);
        log::info(
            "starting",
            {{"storage_dir", settings.storage_dir.string()},
             {"work_dir", settings.work_dir.string()},
             {"soffice", settings.soffice.string()},
             {"sandbox",
              settings.sandbox.empty() ? "none" : settings.sandbox.string()},
             {"slots", settings.worker_slots},
             {"timeout_seconds", settings.conversion_timeout_seconds},
             {"lease_seconds", settings.lease_seconds},
             {"engine_max_jobs", settings.engine_max_jobs},
             {"max_attempts", settings.max_attempts}});

        umask(027);
        install_signal_handlers();
        become_subreaper();
        confirm_sandbox(settings);

        const lease_policy lease{settings.lease_seconds, settings.max_attempts};
        std::vector<std::jthread> slots;
        for (int slot = 1; slot <= settings.worker_slots; ++slot) {
            slots.emplace_back(run_slot, std::cref(settings), std::cref(lease),
                               slot);
        }

        // Ready before the database answers: the worker waits for it on
        // its own, and systemd should not give up on it meanwhile.
        service_notify::ready();
        while (!stopping) {
            wait_readable(-1, std::chrono::seconds{5});
            reap_orphans();
        }
        log::info("stopping: running jobs finish, queued jobs stay queued");
        service_notify::stopping();
        slots.clear();  // joins every slot
        reap_orphans();
        log::info("stopped");
        return EXIT_SUCCESS;
    } catch (const std::exception& e) {
        log::error("worker failed", {{"error", e.what()}});
        return EXIT_FAILURE;
    }
}

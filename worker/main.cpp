// docshift-worker: takes queued jobs from PostgreSQL and converts them.
#include <poll.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdlib>
#include <exception>
#include <optional>
#include <thread>

#include "child_process.hpp"
#include "config.hpp"
#include "job_runner.hpp"
#include "job_store.hpp"
#include "log.hpp"
#include "pg.hpp"
#include "service_notify.hpp"

namespace {

using namespace docshift;

volatile std::sig_atomic_t stopping = 0;

void on_stop_signal(int) {
    stopping = 1;
}

void install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

// A claim holds this long unless renewed; the runner renews it every few
// seconds while the engine works, so only a dead worker lets it run out.
constexpr int lease_seconds = 30;

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
        std::this_thread::sleep_for(backoff);
        if (stopping) {
            throw database_unavailable("stopped while connecting");
        }
    }
}

// Waits for a job notification, the poll interval or a stop signal.
void wait_for_work(pg_connection& db, int poll_seconds) {
    pollfd fd{db.socket(), POLLIN, 0};
    poll(&fd, 1, poll_seconds * 1000);
    service_notify::watchdog();
    db.notifications();
}

void work(const config& settings, pg_connection& db, job_runner& runner,
          const lease_policy& lease) {
    while (!stopping) {
        if (const int failed = fail_abandoned_jobs(db, lease); failed > 0) {
            log::warning("failed abandoned jobs", {{"count", failed}});
        }
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

}  // namespace

int main() {
    try {
        const config settings = load_config();
        log::init("docshift-worker", settings.log_level);
        log::info("starting",
                  {{"storage_dir", settings.storage_dir.string()},
                   {"work_dir", settings.work_dir.string()},
                   {"soffice", settings.soffice.string()},
                   {"timeout_seconds", settings.conversion_timeout_seconds},
                   {"max_attempts", settings.max_attempts}});

        umask(027);
        install_signal_handlers();
        become_subreaper();

        const lease_policy lease{lease_seconds, settings.max_attempts};
        job_runner runner(settings, lease, 1);

        // Ready before the database answers: the worker waits for it on
        // its own, and systemd should not give up on it meanwhile.
        service_notify::ready();
        while (!stopping) {
            try {
                pg_connection db = connect(settings);
                work(settings, db, runner, lease);
            } catch (const database_unavailable& e) {
                // A job whose outcome was not recorded is taken again once
                // its lease runs out.
                log::warning("lost the database", {{"error", e.what()}});
            }
        }
        service_notify::stopping();
        log::info("stopped");
        return EXIT_SUCCESS;
    } catch (const std::exception& e) {
        log::error("worker failed", {{"error", e.what()}});
        return EXIT_FAILURE;
    }
}

// docshift-cleanup: deletes expired jobs with their files, fails jobs whose
// files vanished, and removes files no job owns. Run by a systemd timer;
// safe to run while the API and workers serve, twice at once, or from
// several hosts sharing the database and storage.
#include <sys/stat.h>

#include <charconv>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>

#include "cleanup_totals.hpp"
#include "config.hpp"
#include "expired_jobs.hpp"
#include "expiry.hpp"
#include "log.hpp"
#include "orphan_files.hpp"
#include "pg.hpp"
#include "storage.hpp"

namespace {

using namespace docshift;

// Rows per DELETE: small enough that locks are short, large enough that a
// day's jobs go in a few statements.
constexpr int default_batch_size = 500;

// Files no row owns are removed once nothing in them changed for this long;
// no upload or conversion in flight goes that long without a write.
constexpr std::chrono::seconds orphan_age{3600};

struct options {
    int batch_size = default_batch_size;
};

constexpr const char* usage =
    "usage: docshift-cleanup [--batch-size N]\n"
    "Deletes expired jobs and their files, and files no job owns. Settings\n"
    "come from the DOCSHIFT_* environment variables.\n";

options parse_options(int argc, char** argv) {
    options result;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help") {
            std::cout << usage;
            std::exit(EXIT_SUCCESS);
        }
        if (arg != "--batch-size" || i + 1 == argc) {
            throw std::invalid_argument("cannot read arguments: unknown '" +
                                        std::string(arg) + "'\n" + usage);
        }
        const std::string_view value = argv[++i];
        const auto [ptr, ec] = std::from_chars(
            value.data(), value.data() + value.size(), result.batch_size);
        if (ec != std::errc{} || ptr != value.data() + value.size() ||
            result.batch_size < 1) {
            throw std::invalid_argument("cannot read --batch-size: '" +
                                        std::string(value) +
                                        "' is not a whole number above 0");
        }
    }
    return result;
}

void sweep_storage(pg_connection& db, const storage& files, int batch_size,
                   cleanup_totals& totals) {
    // One sweeper at a time, so two runs never count the same file twice;
    // the other run has nothing left to do here anyway.
    if (!try_lock_storage_sweep(db)) {
        log::info("another cleanup is sweeping the storage folder, skipped");
        return;
    }
    fail_vanished_jobs(db, files, batch_size, totals);
    remove_orphan_files(db, files, orphan_age, totals);
    unlock_storage_sweep(db);
}

void log_totals(const cleanup_totals& totals) {
    log::info("cleanup finished", {{"expired_jobs", totals.expired_jobs},
                                   {"expired_bytes", totals.expired_bytes},
                                   {"vanished_jobs", totals.vanished_jobs},
                                   {"orphans", totals.orphans},
                                   {"orphan_bytes", totals.orphan_bytes},
                                   {"errors", totals.errors}});
}

}  // namespace

int main(int argc, char** argv) {
    log::init("docshift-cleanup", "info");
    try {
        const options opts = parse_options(argc, argv);
        const config settings = load_config();
        log::init("docshift-cleanup", settings.log_level);
        log::info("starting", {{"storage_dir", settings.storage_dir.string()},
                               {"batch_size", opts.batch_size}});

        umask(027);
        const storage files(settings.storage_dir);
        pg_connection db(settings.database);

        cleanup_totals totals;
        remove_expired_jobs(db, files, opts.batch_size, totals);
        sweep_storage(db, files, opts.batch_size, totals);
        log_totals(totals);
        return totals.errors == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    } catch (const std::exception& e) {
        log::error("cleanup failed", {{"error", e.what()}});
        return EXIT_FAILURE;
    }
}

#include "expired_jobs.hpp"

#include <filesystem>

#include "expiry.hpp"
#include "file_tree.hpp"
#include "log.hpp"
#include "storage.hpp"

namespace docshift {

namespace {

// Whether a job still has the files its status promises: a queued job its
// folder, a succeeded one its result (output.<ext>; the extension depends
// on the conversion's options). When the folder cannot be read the files
// count as present: only a sure absence fails a job.
bool files_present(const storage& files, const job_ref& j,
                   const std::string& status) {
    const auto dir = files.job_dir(j.client_id, j.id);
    std::error_code error;
    if (status == "queued") {
        return std::filesystem::exists(dir, error) || error;
    }
    std::filesystem::directory_iterator it(dir, error), end;
    if (error) {
        return error != std::errc::no_such_file_or_directory;
    }
    for (; !error && it != end; it.increment(error)) {
        const auto name = it->path().filename().string();
        if (name.starts_with("output.") && !name.ends_with(".partial")) {
            return true;
        }
    }
    return static_cast<bool>(error);
}

void fail_vanished(pg_connection& db, const storage& files,
                   const std::string& status, const std::string& code,
                   const std::string& message, int batch_size,
                   cleanup_totals& totals) {
    std::string after;
    for (;;) {
        const auto batch = list_jobs_with_status(db, status, after, batch_size);
        for (const auto& j : batch) {
            if (files_present(files, j, status)) {
                continue;
            }
            if (fail_vanished_job(db, j, status, code, message)) {
                ++totals.vanished_jobs;
                log::warning("failed job whose files vanished",
                             {{"job", j.id}, {"code", code}});
            }
        }
        if (static_cast<int>(batch.size()) < batch_size) {
            return;
        }
        after = batch.back().id;
    }
}

}  // namespace

void remove_expired_jobs(pg_connection& db, const storage& files,
                         int batch_size, cleanup_totals& totals) {
    for (;;) {
        const auto deleted = delete_expired_jobs(db, batch_size);
        for (const auto& j : deleted) {
            ++totals.expired_jobs;
            const auto bytes = remove_tree(files.job_dir(j.client_id, j.id));
            if (!bytes) {
                ++totals.errors;
                continue;
            }
            totals.expired_bytes += *bytes;
            log::debug("removed expired job",
                       {{"job", j.id}, {"bytes", *bytes}});
        }

        // A short batch means no more rows are free to take now; rows left
        // are locked by others or running under a live lease.
        if (static_cast<int>(deleted.size()) < batch_size) {
            return;
        }
    }
}

void fail_vanished_jobs(pg_connection& db, const storage& files, int batch_size,
                        cleanup_totals& totals) {
    fail_vanished(db, files, "queued", "input_missing",
                  "the uploaded file is no longer there; upload it again",
                  batch_size, totals);
    fail_vanished(db, files, "succeeded", "output_missing",
                  "the converted file is no longer there; convert the "
                  "file again",
                  batch_size, totals);
}

}  // namespace docshift

// The queries docshift-cleanup runs on document_jobs: deleting expired jobs
// in batches, failing jobs whose files vanished, and telling which job
// folders in storage still belong to a row.
#pragma once

#include <string>
#include <vector>

namespace docshift {

class pg_connection;

struct job_ref {
    std::string client_id;
    std::string id;
};

// Deletes up to `limit` jobs past their expires_at and returns them, so
// their files can go too. Rows another session has locked are skipped
// (another cleanup, or an update in flight), and so is a running job whose
// lease is still live: its worker is converting it, and it is taken on a
// later run once the lease ends. Safe to run from several hosts at once:
// each row is deleted, and returned, by one of them.
std::vector<job_ref> delete_expired_jobs(pg_connection& db, int limit);

// Unexpired jobs in `status` ("queued" or "succeeded") with an id after
// `after_id` (empty: from the start), in id order, at most `limit`.
std::vector<job_ref> list_jobs_with_status(pg_connection& db,
                                           const std::string& status,
                                           const std::string& after_id,
                                           int limit);

// Marks a job failed with `code` and `message`, but only while it still
// has `status`: a job a worker claimed meanwhile is left alone. Returns
// whether it was marked.
bool fail_vanished_job(pg_connection& db, const job_ref& j,
                       const std::string& status, const std::string& code,
                       const std::string& message);

// Which of `job_ids` (in any client) have a row; the rest are orphans.
std::vector<std::string> existing_job_ids(
    pg_connection& db, const std::vector<std::string>& job_ids);

// Takes the session-level lock that lets one cleanup at a time sweep the
// storage folder; false when another cleanup holds it.
bool try_lock_storage_sweep(pg_connection& db);
void unlock_storage_sweep(pg_connection& db);

}  // namespace docshift

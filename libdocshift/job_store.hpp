// Every query docshift runs on document_jobs. The API's queries all take
// the client id, so no code path can reach another client's job.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "job.hpp"

namespace docshift {

class pg_connection;

// The channel the API notifies when a job is queued; workers listen on it.
inline constexpr const char* job_queued_channel = "document_jobs_queued";

struct new_job {
    std::string id;
    std::string client_id;
    std::string conversion;
    std::vector<input_file> inputs;
    std::map<std::string, std::string> options;  // checked, defaults filled
};

// Records a queued job and wakes the workers, unless the client already has
// `max_active` queued or running jobs: then throws api_error (too_many,
// `too_many_jobs`).
job insert_job(pg_connection& db, const new_job& request, int max_active);

// Throws api_error (too_many, `too_many_jobs`) when the client already has
// `max_active` queued or running jobs; a cheap check before an upload.
void check_active_jobs(pg_connection& db, const std::string& client_id,
                       int max_active);

// The client's unexpired jobs, newest first.
std::vector<job> list_jobs(pg_connection& db, const std::string& client_id);

// One of the client's unexpired jobs; nothing for another client's job.
std::optional<job> find_job(pg_connection& db, const std::string& client_id,
                            const std::string& job_id);

// Deletes one of the client's jobs and returns it, so its files can go too.
std::optional<job> delete_job(pg_connection& db, const std::string& client_id,
                              const std::string& job_id);

// The worker's side.

struct lease_policy {
    int lease_seconds = 0;  // how long a claim holds without renewal
    int max_attempts = 0;   // starts before a job fails for good
};

// Takes the oldest queued job, or a running one whose lease ran out, marks
// it running and returns it. Safe with many workers: each job goes to one.
std::optional<job> claim_job(pg_connection& db, const lease_policy& policy);

// Fails jobs whose lease ran out after their last allowed attempt and
// returns how many.
int fail_abandoned_jobs(pg_connection& db, const lease_policy& policy);

// Extends the lease of a claimed job; false when the claim is no longer
// this worker's (the job was deleted, or claimed again after the lease ran
// out).
bool renew_lease(pg_connection& db, const job& claimed,
                 const lease_policy& policy);

// Records the outcome of a claimed job; false when the claim is no longer
// this worker's, and its result must then be thrown away.
bool mark_succeeded(pg_connection& db, const job& claimed,
                    const std::string& output_name, std::int64_t output_size);
bool mark_failed(pg_connection& db, const job& claimed, const job_error& error);

}  // namespace docshift

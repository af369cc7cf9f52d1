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

// How much work the queue takes: per client, so one busy client cannot
// crowd out the others, and in all, so a flood cannot grow it without end.
struct queue_limits {
    int active_per_client = 0;  // queued or running jobs of one client
    int queued_in_all = 0;      // queued jobs of every client together
};

// Records a queued job and wakes the workers. Throws api_error when a limit
// is reached: too_many/`too_many_jobs` for the client's own, and
// unavailable/`queue_full` for the whole queue.
job insert_job(pg_connection& db, const new_job& request,
               const queue_limits& limits);

// The same limits, checked cheaply before an upload is read.
void check_queue_limits(pg_connection& db, const std::string& client_id,
                        const queue_limits& limits);

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

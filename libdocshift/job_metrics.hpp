// Job figures for /metrics, read from PostgreSQL so they are true for every
// API process and worker host at once.
#pragma once

#include <map>
#include <string>

namespace docshift {

class pg_connection;

// docshift_jobs (by conversion and status), docshift_queue_depth, the
// docshift_conversion_duration_seconds histogram of the last 24 hours and
// docshift_engine_restarts_total (by reason), in Prometheus text format.
std::string render_job_metrics(pg_connection& db);

// Adds a worker's office engine restarts, counted by reason, to the totals
// docshift_engine_restarts_total shows.
void add_engine_restarts(pg_connection& db,
                         const std::map<std::string, int>& restarts);

}  // namespace docshift

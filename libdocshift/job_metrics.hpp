// Job figures for /metrics, read from PostgreSQL so they are true for every
// API process and worker host at once.
#pragma once

#include <string>

namespace docshift {

class pg_connection;

// docshift_jobs (by conversion and status), docshift_queue_depth and the
// docshift_conversion_duration_seconds histogram of the last 24 hours, in
// Prometheus text format.
std::string render_job_metrics(pg_connection& db);

}  // namespace docshift

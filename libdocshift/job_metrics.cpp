#include "job_metrics.hpp"

#include <array>

#include "pg.hpp"

namespace docshift {

namespace {

// Upper bounds of the duration buckets, in seconds; +Inf is the count.
constexpr std::array<const char*, 9> bucket_bounds = {
    "0.25", "0.5", "1", "2", "5", "10", "30", "60", "120"};

std::string job_counts(pg_connection& db) {
    const auto rows = db.exec(
        "SELECT conversion, status, count(*) FROM document_jobs"
        " WHERE expires_at > now() GROUP BY conversion, status"
        " ORDER BY conversion, status");
    std::string text =
        "# HELP docshift_jobs Unexpired jobs by conversion and status.\n"
        "# TYPE docshift_jobs gauge\n";
    for (int row = 0; row < rows.size(); ++row) {
        text += "docshift_jobs{conversion=\"" + std::string(rows.text(row, 0)) +
                "\",status=\"" + std::string(rows.text(row, 1)) + "\"} " +
                std::string(rows.text(row, 2)) + "\n";
    }
    return text;
}

std::string queue_depth(pg_connection& db) {
    const auto rows = db.exec(
        "SELECT count(*) FROM document_jobs"
        " WHERE status = 'queued' AND expires_at > now()");
    return "# HELP docshift_queue_depth Jobs waiting for a worker.\n"
           "# TYPE docshift_queue_depth gauge\n"
           "docshift_queue_depth " +
           std::string(rows.text(0, 0)) + "\n";
}

std::string durations(pg_connection& db) {
    std::string buckets;
    for (const char* bound : bucket_bounds) {
        buckets +=
            ", count(*) FILTER (WHERE seconds <= " + std::string(bound) + ")";
    }
    const auto rows = db.exec(
        "SELECT conversion" + buckets +
        ", count(*), coalesce(sum(seconds), 0) FROM ("
        " SELECT conversion,"
        " extract(epoch FROM finished_at - started_at) AS seconds"
        " FROM document_jobs WHERE finished_at > now() - interval '1 day'"
        " AND started_at IS NOT NULL) AS finished"
        " GROUP BY conversion ORDER BY conversion");

    std::string text =
        "# HELP docshift_conversion_duration_seconds Time from a job's "
        "start to its outcome, over the last 24 hours.\n"
        "# TYPE docshift_conversion_duration_seconds histogram\n";
    const std::string name = "docshift_conversion_duration_seconds";
    for (int row = 0; row < rows.size(); ++row) {
        const std::string label =
            "conversion=\"" + std::string(rows.text(row, 0)) + "\"";
        int column = 1;
        for (const char* bound : bucket_bounds) {
            text += name + "_bucket{" + label + ",le=\"" + bound + "\"} " +
                    std::string(rows.text(row, column++)) + "\n";
        }
        const std::string count(rows.text(row, column++));
        text += name + "_bucket{" + label + ",le=\"+Inf\"} " + count + "\n";
        text += name + "_sum{" + label + "} " +
                std::string(rows.text(row, column)) + "\n";
        text += name + "_count{" + label + "} " + count + "\n";
    }
    return text;
}

std::string engine_restarts(pg_connection& db) {
    // The reasons the worker knows are shown from the start, at 0, so an
    // alert on them has a series to watch before the first restart.
    const auto rows = db.exec(
        "SELECT reason, coalesce(sum(total), 0) FROM ("
        " SELECT reason, total FROM engine_restarts"
        " UNION ALL SELECT unnest(ARRAY['crash', 'timeout',"
        " 'file limit reached', 'interrupted', 'no start']), 0) AS counts"
        " GROUP BY reason ORDER BY reason");
    std::string text =
        "# HELP docshift_engine_restarts_total Office engines the workers "
        "replaced, by reason.\n"
        "# TYPE docshift_engine_restarts_total counter\n";
    for (int row = 0; row < rows.size(); ++row) {
        text += "docshift_engine_restarts_total{reason=\"" +
                std::string(rows.text(row, 0)) + "\"} " +
                std::string(rows.text(row, 1)) + "\n";
    }
    return text;
}

}  // namespace

std::string render_job_metrics(pg_connection& db) {
    return job_counts(db) + queue_depth(db) + durations(db) +
           engine_restarts(db);
}

void add_engine_restarts(pg_connection& db,
                         const std::map<std::string, int>& restarts) {
    for (const auto& [reason, count] : restarts) {
        db.exec(
            "INSERT INTO engine_restarts (reason, total) VALUES ($1, $2)"
            " ON CONFLICT (reason) DO UPDATE"
            " SET total = engine_restarts.total + excluded.total",
            {reason, std::to_string(count)});
    }
}

}  // namespace docshift

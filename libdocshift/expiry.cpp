#include "expiry.hpp"

#include <cstdint>

#include "pg.hpp"

namespace docshift {

namespace {

// Any fixed number works; it only has to be the same for every cleanup and
// differ from the migrations' lock.
constexpr std::int64_t storage_sweep_lock = 727106;

// A PostgreSQL array literal of uuids: {a,b,c}. The ids come from folder
// names, so only those that parse as uuids are passed in.
std::string uuid_array(const std::vector<std::string>& ids) {
    std::string text = "{";
    for (const auto& id : ids) {
        if (text.size() > 1) {
            text += ',';
        }
        text += id;
    }
    return text + "}";
}

}  // namespace

std::vector<job_ref> delete_expired_jobs(pg_connection& db, int limit) {
    const auto rows = db.exec(
        "DELETE FROM document_jobs WHERE id IN ("
        "  SELECT id FROM document_jobs"
        "  WHERE expires_at <= now()"
        "  AND NOT (status = 'running' AND lease_expires_at > now())"
        "  ORDER BY expires_at"
        "  LIMIT $1 FOR UPDATE SKIP LOCKED)"
        " RETURNING client_id, id",
        {limit});
    std::vector<job_ref> deleted;
    deleted.reserve(static_cast<std::size_t>(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        deleted.push_back(
            {std::string(rows.text(row, 0)), std::string(rows.text(row, 1))});
    }
    return deleted;
}

std::vector<job_ref> list_jobs_with_status(pg_connection& db,
                                           const std::string& status,
                                           const std::string& after_id,
                                           int limit) {
    const auto rows = db.exec(
        "SELECT client_id, id FROM document_jobs"
        " WHERE status = $1 AND expires_at > now() AND id > $2::uuid"
        " ORDER BY id LIMIT $3",
        {status,
         after_id.empty() ? "00000000-0000-0000-0000-000000000000" : after_id,
         limit});
    std::vector<job_ref> jobs;
    jobs.reserve(static_cast<std::size_t>(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        jobs.push_back(
            {std::string(rows.text(row, 0)), std::string(rows.text(row, 1))});
    }
    return jobs;
}

bool fail_vanished_job(pg_connection& db, const job_ref& j,
                       const std::string& status, const std::string& code,
                       const std::string& message) {
    const auto rows = db.exec(
        "UPDATE document_jobs SET status = 'failed', finished_at = now(),"
        " lease_expires_at = NULL, output_name = NULL, output_size = NULL,"
        " error_code = $4, error_message = $5"
        " WHERE id = $1 AND client_id = $2 AND status = $3 RETURNING id",
        {j.id, j.client_id, status, code, message});
    return !rows.empty();
}

std::vector<std::string> existing_job_ids(
    pg_connection& db, const std::vector<std::string>& job_ids) {
    if (job_ids.empty()) {
        return {};
    }
    const auto rows =
        db.exec("SELECT id FROM document_jobs WHERE id = ANY($1::uuid[])",
                {uuid_array(job_ids)});
    std::vector<std::string> found;
    found.reserve(static_cast<std::size_t>(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        found.emplace_back(rows.text(row, 0));
    }
    return found;
}

bool try_lock_storage_sweep(pg_connection& db) {
    const auto rows =
        db.exec("SELECT pg_try_advisory_lock($1)", {storage_sweep_lock});
    return rows.text(0, 0) == "t";
}

void unlock_storage_sweep(pg_connection& db) {
    db.exec("SELECT pg_advisory_unlock($1)", {storage_sweep_lock});
}

}  // namespace docshift

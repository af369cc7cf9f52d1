#include "job_store.hpp"

#include <json/json.h>

#include "api_error.hpp"
#include "json_text.hpp"
#include "pg.hpp"

namespace docshift {

namespace {

// A timestamp column as ISO 8601 in UTC, the form the API shows.
std::string iso_time(const char* column) {
    return std::string("to_char(") + column +
           " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

// Columns in the order row_to_job() reads them.
const std::string job_columns =
    "id, client_id, conversion, status, inputs, output_name, output_size, "
    "error_code, error_message, attempts, " +
    iso_time("created_at") + ", " + iso_time("started_at") + ", " +
    iso_time("finished_at") + ", " + iso_time("expires_at") + ", options";

std::vector<input_file> parse_inputs(std::string_view text) {
    const Json::Value array = parse_json_text(text, "inputs column");
    if (!array.isArray()) {
        throw std::runtime_error("bad inputs column: not an array");
    }
    std::vector<input_file> inputs;
    for (const auto& file : array) {
        inputs.push_back({file["name"].asString(), file["size"].asInt64()});
    }
    return inputs;
}

// Options are stored as a JSON object of strings.
std::map<std::string, std::string> parse_options(std::string_view text) {
    const Json::Value object = parse_json_text(text, "options column");
    if (!object.isObject()) {
        throw std::runtime_error("bad options column: not an object");
    }
    std::map<std::string, std::string> options;
    for (auto it = object.begin(); it != object.end(); ++it) {
        options[it.name()] = it->asString();
    }
    return options;
}

std::string options_json(const std::map<std::string, std::string>& options) {
    Json::Value object(Json::objectValue);
    for (const auto& [name, value] : options) {
        object[name] = value;
    }
    return json_text(object);
}

std::string inputs_json(const std::vector<input_file>& inputs) {
    Json::Value array(Json::arrayValue);
    for (const auto& input : inputs) {
        Json::Value file(Json::objectValue);
        file["name"] = input.name;
        file["size"] = Json::Int64(input.size);
        array.append(std::move(file));
    }
    return json_text(array);
}

job row_to_job(const pg_rows& rows, int row) {
    job j;
    j.id = rows.text(row, 0);
    j.client_id = rows.text(row, 1);
    j.conversion = rows.text(row, 2);
    j.status = parse_status(rows.text(row, 3));
    j.inputs = parse_inputs(rows.text(row, 4));
    j.output_name = rows.optional_text(row, 5);
    if (!rows.is_null(row, 6)) {
        j.output_size = rows.integer(row, 6);
    }
    if (!rows.is_null(row, 7)) {
        j.error = job_error{std::string(rows.text(row, 7)),
                            std::string(rows.text(row, 8))};
    }
    j.attempts = static_cast<int>(rows.integer(row, 9));
    j.created_at = rows.text(row, 10);
    j.started_at = rows.optional_text(row, 11);
    j.finished_at = rows.optional_text(row, 12);
    j.expires_at = rows.text(row, 13);
    j.options = parse_options(rows.text(row, 14));
    return j;
}

std::optional<job> first_job(const pg_rows& rows) {
    if (rows.empty()) {
        return std::nullopt;
    }
    return row_to_job(rows, 0);
}

std::string select_jobs(const std::string& rest) {
    return "SELECT " + job_columns + " FROM document_jobs " + rest;
}

api_error too_many_jobs(int max_active) {
    return api_error(error_kind::too_many, "too_many_jobs",
                     "you already have " + std::to_string(max_active) +
                         " conversions queued or running; wait for one to "
                         "finish, then try again");
}

api_error queue_full() {
    return api_error(error_kind::unavailable, "queue_full",
                     "the service has more conversions waiting than it "
                     "takes; try again in a few minutes");
}

int queued_jobs(pg_connection& db) {
    const auto rows = db.exec(
        "SELECT count(*) FROM document_jobs"
        " WHERE status = 'queued' AND expires_at > now()");
    return static_cast<int>(rows.integer(0, 0));
}

int active_jobs(pg_connection& db, const std::string& client_id) {
    const auto rows = db.exec(
        "SELECT count(*) FROM document_jobs"
        " WHERE client_id = $1 AND status IN ('queued', 'running')"
        " AND expires_at > now()",
        {client_id});
    return static_cast<int>(rows.integer(0, 0));
}

// Rolls back an open transaction unless commit() was reached.
class transaction {
public:
    explicit transaction(pg_connection& db) : db_(db) { db_.exec("BEGIN"); }
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    ~transaction() {
        if (!done_ && !db_.broken()) {
            try {
                db_.exec("ROLLBACK");
            } catch (...) {
                // The connection is reported broken by the next statement.
            }
        }
    }
    void commit() {
        db_.exec("COMMIT");
        done_ = true;
    }

private:
    pg_connection& db_;
    bool done_ = false;
};

}  // namespace

void check_queue_limits(pg_connection& db, const std::string& client_id,
                        const queue_limits& limits) {
    if (active_jobs(db, client_id) >= limits.active_per_client) {
        throw too_many_jobs(limits.active_per_client);
    }
    if (queued_jobs(db) >= limits.queued_in_all) {
        throw queue_full();
    }
}

job insert_job(pg_connection& db, const new_job& request,
               const queue_limits& limits) {
    transaction tx(db);

    // Serialises one client's inserts so two uploads at once cannot both
    // pass the count below. The bound on the whole queue may be passed by
    // a few concurrent uploads; it only has to stop a flood.
    db.exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            {request.client_id});
    check_queue_limits(db, request.client_id, limits);

    const auto rows = db.exec(
        "INSERT INTO document_jobs (id, client_id, conversion, inputs,"
        " options) VALUES ($1, $2, $3, $4, $5) RETURNING " +
            job_columns,
        {request.id, request.client_id, request.conversion,
         inputs_json(request.inputs), options_json(request.options)});
    db.exec(std::string("NOTIFY ") + job_queued_channel);
    tx.commit();
    return row_to_job(rows, 0);
}

std::vector<job> list_jobs(pg_connection& db, const std::string& client_id) {
    const auto rows =
        db.exec(select_jobs("WHERE client_id = $1 AND expires_at > now()"
                            " ORDER BY created_at DESC, id"),
                {client_id});
    std::vector<job> jobs;
    jobs.reserve(static_cast<std::size_t>(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        jobs.push_back(row_to_job(rows, row));
    }
    return jobs;
}

std::optional<job> find_job(pg_connection& db, const std::string& client_id,
                            const std::string& job_id) {
    return first_job(db.exec(select_jobs("WHERE id = $1 AND client_id = $2"
                                         " AND expires_at > now()"),
                             {job_id, client_id}));
}

std::optional<job> delete_job(pg_connection& db, const std::string& client_id,
                              const std::string& job_id) {
    return first_job(
        db.exec("DELETE FROM document_jobs WHERE id = $1 AND client_id = $2"
                " RETURNING " +
                    job_columns,
                {job_id, client_id}));
}

std::optional<job> claim_job(pg_connection& db, const lease_policy& policy) {
    return first_job(
        db.exec("UPDATE document_jobs SET status = 'running',"
                " attempts = attempts + 1, started_at = now(),"
                " lease_expires_at = now() + make_interval(secs => $1)"
                " WHERE id = ("
                "  SELECT id FROM document_jobs AS candidate"
                "  WHERE expires_at > now() AND attempts < $2"
                "  AND (status = 'queued'"
                "       OR (status = 'running' AND lease_expires_at < now()))"
                // Clients with fewer conversions running go first, so a
                // client with a full queue cannot keep the others waiting.
                "  ORDER BY (SELECT count(*) FROM document_jobs AS running"
                "            WHERE running.client_id = candidate.client_id"
                "            AND running.status = 'running'"
                "            AND running.lease_expires_at >= now()),"
                "           created_at"
                "  FOR UPDATE SKIP LOCKED LIMIT 1)"
                " RETURNING " +
                    job_columns,
                {policy.lease_seconds, policy.max_attempts}));
}

int fail_abandoned_jobs(pg_connection& db, const lease_policy& policy) {
    const auto rows = db.exec(
        "UPDATE document_jobs SET status = 'failed', finished_at = now(),"
        " lease_expires_at = NULL, error_code = 'interrupted',"
        " error_message = 'the conversion was interrupted ' || attempts ||"
        " ' times and was given up; the file may be too demanding to"
        " convert, try a smaller or simpler one'"
        " WHERE status = 'running' AND lease_expires_at < now()"
        " AND attempts >= $1 RETURNING id",
        {policy.max_attempts});
    return rows.size();
}

// Every update of a claimed job names its attempt too: a worker whose lease
// ran out and whose job was claimed again can no longer touch it.

bool renew_lease(pg_connection& db, const job& claimed,
                 const lease_policy& policy) {
    const auto rows = db.exec(
        "UPDATE document_jobs"
        " SET lease_expires_at = now() + make_interval(secs => $3)"
        " WHERE id = $1 AND attempts = $2 AND status = 'running'"
        " RETURNING id",
        {claimed.id, claimed.attempts, policy.lease_seconds});
    return !rows.empty();
}

bool mark_succeeded(pg_connection& db, const job& claimed,
                    const std::string& output_name, std::int64_t output_size) {
    const auto rows = db.exec(
        "UPDATE document_jobs SET status = 'succeeded', finished_at = now(),"
        " lease_expires_at = NULL, output_name = $3, output_size = $4"
        " WHERE id = $1 AND attempts = $2 AND status = 'running'"
        " RETURNING id",
        {claimed.id, claimed.attempts, output_name, output_size});
    return !rows.empty();
}

bool mark_failed(pg_connection& db, const job& claimed,
                 const job_error& error) {
    const auto rows = db.exec(
        "UPDATE document_jobs SET status = 'failed', finished_at = now(),"
        " lease_expires_at = NULL, error_code = $3, error_message = $4"
        " WHERE id = $1 AND attempts = $2 AND status = 'running'"
        " RETURNING id",
        {claimed.id, claimed.attempts, error.code, error.message});
    return !rows.empty();
}

}  // namespace docshift

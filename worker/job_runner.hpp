// Runs one claimed job from start to recorded outcome: copies its inputs to
// a private folder under safe names, runs the conversion's engine with the
// job's options, checks the result, moves it into storage and records
// success or failure.
#pragma once

#include <filesystem>
#include <optional>

#include "engine.hpp"
#include "job.hpp"
#include "job_store.hpp"
#include "office_engine.hpp"
#include "storage.hpp"

namespace docshift {

class pg_connection;

class job_runner {
public:
    job_runner(const config& settings, const lease_policy& lease, int slot);

    // Never throws for a job's own failure: that is recorded on the job.
    // Throws database_unavailable when the outcome could not be recorded.
    void run(pg_connection& db, const job& claimed);

private:
    std::filesystem::path convert(pg_connection& db, const job& claimed,
                                  const std::filesystem::path& private_dir);
    std::filesystem::path run_engine(const engine_request& request);
    void record_success(pg_connection& db, const job& claimed,
                        const std::filesystem::path& result);
    // True when the job's row is gone: its owner deleted it (its folder
    // goes too) or it expired. Says so once, at info level.
    bool deleted_while_running(pg_connection& db, const job& claimed);
    // Adds the office engine's restarts to the totals /metrics shows.
    void record_engine_restarts(pg_connection& db);

    storage files_;
    lease_policy lease_;
    std::chrono::seconds timeout_;
    std::filesystem::path slot_dir_;
    std::optional<sandbox> confine_;
    office_engine engine_;
    bool deleted_ = false;  // the running job was found deleted
};

}  // namespace docshift

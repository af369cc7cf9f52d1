#include "migrations.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "pg.hpp"

namespace docshift {

namespace {

// Any fixed number works; it only has to be the same for every runner.
constexpr std::int64_t migration_lock = 727105;

std::vector<std::filesystem::path> migration_files(
    const std::filesystem::path& sql_dir) {
    static const std::regex numbered(R"(\d{3}_[a-z0-9_]+\.sql)");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(sql_dir)) {
        if (std::regex_match(entry.path().filename().string(), numbered)) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read migration '" + path.string() +
                                 "'");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void apply_one(pg_connection& db, const std::filesystem::path& file) {
    const std::string name = file.filename().string();
    db.exec("BEGIN");
    try {
        db.run_script(read_file(file));
        db.exec("INSERT INTO schema_migrations (name) VALUES ($1)", {name});
        db.exec("COMMIT");
    } catch (...) {
        if (!db.broken()) {
            db.exec("ROLLBACK");
        }
        throw;
    }
}

}  // namespace

std::vector<std::string> apply_migrations(
    pg_connection& db, const std::filesystem::path& sql_dir) {
    const auto files = migration_files(sql_dir);
    if (files.empty()) {
        throw std::runtime_error("no migrations found in '" + sql_dir.string() +
                                 "'");
    }

    // The lock is held by the session, so it also ends when the connection
    // does, whatever happens below.
    db.exec("SELECT pg_advisory_lock($1)", {migration_lock});
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name text PRIMARY KEY,"
        " applied_at timestamptz NOT NULL DEFAULT now())");

    std::vector<std::string> applied;
    for (const auto& file : files) {
        const auto name = file.filename().string();
        const auto done =
            db.exec("SELECT 1 FROM schema_migrations WHERE name = $1", {name});
        if (done.empty()) {
            apply_one(db, file);
            applied.push_back(name);
        }
    }
    db.exec("SELECT pg_advisory_unlock($1)", {migration_lock});
    return applied;
}

}  // namespace docshift

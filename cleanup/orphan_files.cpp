#include "orphan_files.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "expiry.hpp"
#include "file_tree.hpp"
#include "log.hpp"
#include "pg.hpp"
#include "storage.hpp"
#include "uuid.hpp"

namespace docshift {

namespace fs = std::filesystem;

namespace {

bool is_canonical_uuid(const std::string& name) {
    const auto canonical = canonical_uuid(name);
    return canonical && *canonical == name;
}

// The entries of a folder; an unreadable folder counts as an error.
std::vector<fs::path> entries_of(const fs::path& dir, cleanup_totals& totals) {
    std::vector<fs::path> entries;
    std::error_code error;
    fs::directory_iterator it(dir, error), end;
    for (; !error && it != end; it.increment(error)) {
        entries.push_back(it->path());
    }
    if (error && error != std::errc::no_such_file_or_directory) {
        log::error("cannot read folder",
                   {{"path", dir.string()}, {"error", error.message()}});
        ++totals.errors;
    }
    return entries;
}

void remove_orphan(const fs::path& path, cleanup_totals& totals) {
    const auto bytes = remove_tree(path);
    if (!bytes) {
        ++totals.errors;
        return;
    }
    ++totals.orphans;
    totals.orphan_bytes += *bytes;
    log::info("removed orphan", {{"path", path.string()}, {"bytes", *bytes}});
}

bool client_has_jobs(pg_connection& db, const std::string& client_id) {
    return !db.exec("SELECT 1 FROM document_jobs WHERE client_id = $1 LIMIT 1",
                    {client_id})
                .empty();
}

void sweep_client(pg_connection& db, const fs::path& client_dir,
                  std::chrono::seconds min_age, cleanup_totals& totals) {
    const auto client_id = client_dir.filename().string();
    if (unchanged_for(client_dir, min_age) && !client_has_jobs(db, client_id)) {
        // TODO(cleanup): an upload from a client idle for longer than
        // min_age that moves into this folder in the instant it is removed
        // fails with an internal error and must be sent again.
        remove_orphan(client_dir, totals);
        return;
    }

    const auto entries = entries_of(client_dir, totals);
    std::vector<std::string> job_ids;
    for (const auto& entry : entries) {
        if (is_canonical_uuid(entry.filename().string())) {
            job_ids.push_back(entry.filename().string());
        }
    }
    auto owned = existing_job_ids(db, job_ids);
    std::sort(owned.begin(), owned.end());

    for (const auto& entry : entries) {
        const auto name = entry.filename().string();
        if (!std::binary_search(owned.begin(), owned.end(), name) &&
            unchanged_for(entry, min_age)) {
            remove_orphan(entry, totals);
        }
    }

    // Only an empty folder goes, so a job moving in now is never lost.
    std::error_code error;
    if (fs::is_empty(client_dir, error) && unchanged_for(client_dir, min_age)) {
        fs::remove(client_dir, error);
        if (!error) {
            ++totals.orphans;
            log::info("removed orphan",
                      {{"path", client_dir.string()}, {"bytes", 0}});
        }
    }
}

}  // namespace

void remove_orphan_files(pg_connection& db, const storage& files,
                         std::chrono::seconds min_age, cleanup_totals& totals) {
    for (const auto& entry : entries_of(files.root(), totals)) {
        const auto name = entry.filename().string();
        std::error_code error;
        if (!fs::is_directory(fs::symlink_status(entry, error))) {
            continue;
        }
        if (name == ".incoming") {
            for (const auto& upload : entries_of(entry, totals)) {
                if (unchanged_for(upload, min_age)) {
                    remove_orphan(upload, totals);
                }
            }
        } else if (is_canonical_uuid(name)) {
            sweep_client(db, entry, min_age, totals);
        }
    }
}

}  // namespace docshift

// The jobs cleanup removes or fails: those past their expiry time, and
// those whose files vanished from the storage folder.
#pragma once

#include "cleanup_totals.hpp"

namespace docshift {

class pg_connection;
class storage;

// Deletes every expired job, `batch_size` rows per statement, and then its
// folder. A row is deleted before its files: if the run stops in between,
// the folder is left without a row and goes as an orphan on a later run.
void remove_expired_jobs(pg_connection& db, const storage& files,
                         int batch_size, cleanup_totals& totals);

// Fails the unexpired jobs whose files are gone, so their owners see why
// instead of a download that never comes: a queued job without its input
// folder (code input_missing), and a succeeded job without its result
// (code output_missing). The rows then expire like any other.
void fail_vanished_jobs(pg_connection& db, const storage& files, int batch_size,
                        cleanup_totals& totals);

}  // namespace docshift

// Files in the storage folder that no job row owns: folders of deleted
// jobs whose removal was interrupted, uploads that never finished, and
// anything else left under a client's folder.
#pragma once

#include <chrono>

#include "cleanup_totals.hpp"

namespace docshift {

class pg_connection;
class storage;

// Removes what no row owns and what did not change for `min_age`:
//
//   <root>/<client>/            no row of that client, all of it old
//   <root>/<client>/<entry>     no row with that job id, all of it old
//   <root>/<client>/            emptied, and old itself
//   <root>/.incoming/<entry>    an upload that never became a job
//
// The age keeps uploads and conversions in flight safe: their folders
// change while they work, and a job's row is written right after its
// folder moves into place. Names that are no uuid at the root are never
// touched: the folder may hold things that are not docshift's.
void remove_orphan_files(pg_connection& db, const storage& files,
                         std::chrono::seconds min_age, cleanup_totals& totals);

}  // namespace docshift

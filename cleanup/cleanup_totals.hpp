// What one cleanup run removed, for its closing log line and exit status.
#pragma once

#include <cstdint>

namespace docshift {

struct cleanup_totals {
    std::int64_t expired_jobs = 0;   // rows past expires_at, deleted
    std::int64_t expired_bytes = 0;  // bytes of their files
    std::int64_t vanished_jobs = 0;  // rows whose files were gone, failed
    std::int64_t orphans = 0;        // folders no row owns, removed
    std::int64_t orphan_bytes = 0;   // bytes in them
    std::int64_t errors = 0;         // files or folders left in place
};

}  // namespace docshift

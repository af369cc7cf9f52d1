// Writes a zip archive of finished files with libzip.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace docshift {

struct zip_entry {
    std::filesystem::path source;
    std::string name;  // inside the archive
};

// Writes `entries` into a new archive at `path`, stored uncompressed: they
// are images compressed already. Throws std::runtime_error naming the
// archive when libzip fails.
void write_zip(const std::filesystem::path& path,
               const std::vector<zip_entry>& entries);

}  // namespace docshift

// Measuring and removing folders of the storage tree without following
// symbolic links, so nothing outside the storage folder is ever touched.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace docshift {

// The latest modification time of `path` and everything below it; nothing
// when `path` does not exist.
std::optional<std::filesystem::file_time_type> newest_change(
    const std::filesystem::path& path);

// Whether nothing in `path` changed for `age`; false when it is gone.
bool unchanged_for(const std::filesystem::path& path, std::chrono::seconds age);

// The bytes of the regular files under `path` (or of `path` itself).
std::int64_t tree_bytes(const std::filesystem::path& path);

// Removes `path` and everything below it. Returns the bytes removed, or
// nothing when `path` could not be removed (the reason is logged). A path
// that does not exist removes 0 bytes.
std::optional<std::int64_t> remove_tree(const std::filesystem::path& path);

}  // namespace docshift

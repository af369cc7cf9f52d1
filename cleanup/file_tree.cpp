#include "file_tree.hpp"

#include <system_error>

#include "log.hpp"

namespace docshift {

namespace fs = std::filesystem;

namespace {

// The modification time of the entry itself, not of a link's target.
std::optional<fs::file_time_type> own_change(const fs::path& path) {
    std::error_code error;
    const auto status = fs::symlink_status(path, error);
    if (error || status.type() == fs::file_type::not_found) {
        return std::nullopt;
    }
    if (status.type() == fs::file_type::symlink) {
        // std::filesystem cannot read a link's own time; a link counts as
        // old, and is removed with its folder.
        return fs::file_time_type::min();
    }
    const auto time = fs::last_write_time(path, error);
    if (error) {
        return std::nullopt;
    }
    return time;
}

}  // namespace

std::optional<fs::file_time_type> newest_change(const fs::path& path) {
    auto newest = own_change(path);
    if (!newest) {
        return std::nullopt;
    }
    std::error_code error;
    fs::recursive_directory_iterator it(path, error), end;
    for (; !error && it != end; it.increment(error)) {
        if (const auto time = own_change(it->path()); time && *time > *newest) {
            newest = time;
        }
    }
    return newest;
}

bool unchanged_for(const fs::path& path, std::chrono::seconds age) {
    const auto newest = newest_change(path);
    return newest && *newest + age <= fs::file_time_type::clock::now();
}

std::int64_t tree_bytes(const fs::path& path) {
    std::error_code error;
    if (fs::symlink_status(path, error).type() == fs::file_type::regular) {
        return static_cast<std::int64_t>(fs::file_size(path, error));
    }
    std::int64_t bytes = 0;
    fs::recursive_directory_iterator it(path, error), end;
    for (; !error && it != end; it.increment(error)) {
        std::error_code size_error;
        if (it->symlink_status(size_error).type() == fs::file_type::regular) {
            const auto size = it->file_size(size_error);
            if (!size_error) {
                bytes += static_cast<std::int64_t>(size);
            }
        }
    }
    return bytes;
}

std::optional<std::int64_t> remove_tree(const fs::path& path) {
    const std::int64_t bytes = tree_bytes(path);
    std::error_code error;
    fs::remove_all(path, error);
    if (error) {
        log::error("cannot remove",
                   {{"path", path.string()}, {"error", error.message()}});
        return std::nullopt;
    }
    return bytes;
}

}  // namespace docshift

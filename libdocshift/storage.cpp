#include "storage.hpp"

#include <system_error>

namespace docshift {

namespace {

void create_dirs(const std::filesystem::path& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        throw std::system_error(error,
                                "cannot create folder '" + dir.string() + "'");
    }
}

}  // namespace

storage::storage(std::filesystem::path root) : root_(std::move(root)) {}

void storage::prepare() const {
    create_dirs(root_);
    create_dirs(root_ / ".incoming");
}

std::filesystem::path storage::job_dir(std::string_view client_id,
                                       std::string_view job_id) const {
    return root_ / client_id / job_id;
}

std::filesystem::path storage::incoming_dir(std::string_view job_id) const {
    return root_ / ".incoming" / job_id;
}

void storage::accept_upload(std::string_view client_id,
                            std::string_view job_id) const {
    const auto target = job_dir(client_id, job_id);
    create_dirs(target.parent_path());

    std::error_code error;
    std::filesystem::rename(incoming_dir(job_id), target, error);
    if (error) {
        throw std::system_error(
            error, "cannot move upload into '" + target.string() + "'");
    }
}

void storage::remove_job(std::string_view client_id,
                         std::string_view job_id) const noexcept {
    std::error_code ignored;
    std::filesystem::remove_all(incoming_dir(job_id), ignored);
    std::filesystem::remove_all(job_dir(client_id, job_id), ignored);
}

std::string storage::input_name(int position, std::string_view extension) {
    return "input-" + std::to_string(position) + "." + std::string(extension);
}

std::string storage::output_name(std::string_view extension) {
    return "output." + std::string(extension);
}

std::string storage::output_path(std::string_view client_id,
                                 std::string_view job_id,
                                 std::string_view extension) {
    return std::string(client_id) + "/" + std::string(job_id) + "/" +
           output_name(extension);
}

}  // namespace docshift

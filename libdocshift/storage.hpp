// Where files live in the storage folder:
//
//   <root>/<client id>/<job id>/input-1.docx   uploaded, under a safe name
//   <root>/<client id>/<job id>/output.pdf     the result
//   <root>/.incoming/<job id>/                 an upload still arriving
//
// Users' file names never appear on disk; they live in the database.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace docshift {

class storage {
public:
    explicit storage(std::filesystem::path root);

    const std::filesystem::path& root() const noexcept { return root_; }

    // Creates the root and the incoming folder; throws std::system_error
    // naming the folder when it cannot.
    void prepare() const;

    std::filesystem::path job_dir(std::string_view client_id,
                                  std::string_view job_id) const;

    // A private folder for an upload before it is accepted.
    std::filesystem::path incoming_dir(std::string_view job_id) const;

    // Moves an accepted upload from its incoming folder into place.
    void accept_upload(std::string_view client_id,
                       std::string_view job_id) const;

    // Removes a job's files, incoming or accepted; never throws.
    void remove_job(std::string_view client_id,
                    std::string_view job_id) const noexcept;

    // The safe on-disk names of a job's files.
    static std::string input_name(int position, std::string_view extension);
    static std::string output_name(std::string_view extension);

    // The path of a result relative to the root, as the download location
    // of nginx serves it.
    static std::string output_path(std::string_view client_id,
                                   std::string_view job_id,
                                   std::string_view extension);

private:
    std::filesystem::path root_;
};

}  // namespace docshift

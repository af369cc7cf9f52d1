#include "zip_writer.hpp"

#include <zip.h>

#include <memory>
#include <stdexcept>

namespace docshift {

namespace {

struct zip_discarder {
    // Only an archive never closed is left: discard writes nothing.
    void operator()(zip_t* archive) const noexcept { zip_discard(archive); }
};
using zip_handle = std::unique_ptr<zip_t, zip_discarder>;

std::runtime_error zip_failure(const std::filesystem::path& path,
                               zip_t* archive) {
    return std::runtime_error("cannot write zip '" + path.string() +
                              "': " + zip_strerror(archive));
}

}  // namespace

void write_zip(const std::filesystem::path& path,
               const std::vector<zip_entry>& entries) {
    int error = 0;
    zip_handle archive(zip_open(path.c_str(), ZIP_CREATE | ZIP_EXCL, &error));
    if (!archive) {
        zip_error_t reason;
        zip_error_init_with_code(&reason, error);
        const std::string text = zip_error_strerror(&reason);
        zip_error_fini(&reason);
        throw std::runtime_error("cannot create zip '" + path.string() +
                                 "': " + text);
    }

    for (const auto& entry : entries) {
        zip_source_t* source =
            zip_source_file(archive.get(), entry.source.c_str(), 0, -1);
        if (source == nullptr) {
            throw zip_failure(path, archive.get());
        }
        const auto index = zip_file_add(archive.get(), entry.name.c_str(),
                                        source, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(source);
            throw zip_failure(path, archive.get());
        }
        zip_set_file_compression(
            archive.get(), static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }

    // Closing writes the archive; on success libzip frees the handle.
    if (zip_close(archive.get()) != 0) {
        throw zip_failure(path, archive.get());
    }
    archive.release();
}

}  // namespace docshift

// Receives a multipart upload into a job's incoming folder and validates
// it: the conversion, the number of files, each file's name, size and
// content. Nothing is accepted until every check has passed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "conversion_catalog.hpp"
#include "job.hpp"

namespace docshift {

class body_reader;

struct upload_limits {
    std::int64_t max_body_bytes = 0;
};

struct validated_upload {
    const conversion* chosen = nullptr;
    std::vector<input_file> inputs;  // the users' names and sizes, in order
    option_values options;           // checked, defaults filled in
};

// Reads a multipart body with `boundary` from `body`, storing each file part
// in `dir` as input-<n>.<ext>, then validates the whole upload: the options,
// and each file's name, content, encryption, pages and pixels. Throws
// api_error on any problem; the caller removes `dir` then.
validated_upload receive_upload(body_reader& body, const std::string& boundary,
                                const std::filesystem::path& dir,
                                const upload_limits& limits);

}  // namespace docshift

// The size and frame count of an image, read from its header and frame
// markers without decoding a pixel, so an image too large to decode can be
// refused cheaply.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "file_type.hpp"

namespace docshift {

struct image_header {
    std::int64_t width = 0;  // the largest frame's
    std::int64_t height = 0;
    int frames = 1;  // pages of a TIFF, frames of a GIF
};

// Reads the header of a PNG, JPEG, GIF, TIFF or WebP file of `format`;
// nothing when the header is missing or damaged. Throws std::system_error
// when the file cannot be read.
std::optional<image_header> read_image_header(const std::filesystem::path& path,
                                              file_format format);

}  // namespace docshift

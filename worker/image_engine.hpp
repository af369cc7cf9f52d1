// Image engines: img2pdf lays images out as PDF pages (one per image or
// frame, turned upright by their EXIF orientation, CMYK and transparency
// kept), and libvips converts between image formats.
#pragma once

#include <filesystem>

#include "engine.hpp"

namespace docshift {

// Converts the request's image inputs as its conversion says and returns
// the result's path. Throws conversion_error.
std::filesystem::path convert_images(const engine_request& request);

}  // namespace docshift

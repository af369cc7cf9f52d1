// PDF engines from poppler-utils, qpdf and Ghostscript: text, page images,
// merging, compression and PDF/A. Every input is first rewritten by qpdf,
// which repairs a damaged cross-reference table and removes owner-only
// restrictions, so the later engines see a clean file.
#pragma once

#include <filesystem>

#include "engine.hpp"

namespace docshift {

// Converts the request's PDF inputs as its conversion says and returns the
// result's path. Throws conversion_error.
std::filesystem::path convert_pdf(const engine_request& request);

}  // namespace docshift

// Markdown and HTML through pandoc, with nothing fetched: pandoc reads the
// input in its sandbox (no files, no network), a filter turns every image
// into its description and drops raw HTML and TeX, and PDF is made by
// LibreOffice from the OpenDocument text pandoc writes.
//
// TODO(engines): HTML passes through pandoc's document model, so its CSS
// (colours, columns, positioning) does not reach the PDF; only structure,
// text, lists, tables and emphasis do.
#pragma once

#include <filesystem>

#include "engine.hpp"
#include "office_engine.hpp"

namespace docshift {

// Converts the request's Markdown or HTML input as its conversion says and
// returns the result's path. Throws conversion_error.
std::filesystem::path convert_markup(const engine_request& request,
                                     office_engine& office);

}  // namespace docshift

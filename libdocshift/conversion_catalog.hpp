// The conversions docshift offers: what each accepts, by extension and by
// content, what it produces, and its limits.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "file_type.hpp"

namespace Json {
class Value;
}

namespace docshift {

// Which engine the worker runs for a conversion.
enum class engine_kind {
    office,  // LibreOffice, converting to the output format
};

struct conversion {
    std::string id;                        // "document_to_pdf"
    std::string label;                     // "Word document to PDF"
    std::vector<std::string> extensions;   // accepted, lowercase, no dot
    std::vector<std::string> media_types;  // accepted, for the file picker
    std::vector<file_format> formats;      // accepted content
    std::string output_extension;          // "pdf"
    std::string output_media_type;         // "application/pdf"
    int max_files = 1;
    std::int64_t max_file_bytes = 0;
    engine_kind engine = engine_kind::office;
};

// Every conversion, in the order the API lists them.
std::span<const conversion> conversion_catalog();

// The conversion named `id`, or nullptr.
const conversion* find_conversion(std::string_view id);

// The lowercase extension of a user's file name without the dot ("docx"
// for "Report.DOCX"), or empty when there is none.
std::string file_extension(std::string_view file_name);

// Throws api_error (unsupported_file, code `unsupported_extension`) unless
// `file_name` has an extension the conversion accepts. Runs before any byte
// of the file is stored.
void check_extension_fits(const conversion& conv, std::string_view file_name);

// Throws api_error unless the stored file fits the conversion by content:
// `empty_file` (400) for zero bytes, `file_too_large` (413) over the limit,
// `type_mismatch` (415) when the content is not an accepted format.
void check_content_fits(const conversion& conv, std::string_view file_name,
                        std::int64_t size, const sniffed_file& sniffed);

// The catalog entry as the API shows it in GET /api/conversions.
Json::Value to_json(const conversion& conv);

}  // namespace docshift

// The conversions docshift offers: what each accepts, by extension and by
// content, what it produces, and its limits.
#pragma once

#include <cstdint>
#include <map>
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
    office,         // LibreOffice, converting to the output format
    pdf_text,       // pdftotext, keeping the layout
    pdf_images,     // pdftoppm, one image per page, zipped when several
    pdf_merge,      // qpdf, pages of every input in upload order
    pdf_compress,   // Ghostscript, keeping the original when not smaller
    pdf_archive,    // Ghostscript, PDF/A-2b
    images_pdf,     // img2pdf, one page per image or frame
    image_convert,  // libvips
    pandoc,         // pandoc, through LibreOffice for PDF
};

enum class option_type { enumeration, integer };

// A setting the user may send as a form field next to the files.
struct conversion_option {
    std::string name;   // the form field: "dpi"
    std::string label;  // "Resolution (dots per inch)"
    option_type type = option_type::enumeration;
    std::vector<std::string> values;  // allowed values of an enumeration
    int min = 0;                      // bounds of an integer, inclusive
    int max = 0;
    std::string default_value;
};

// A job's options by name, every option of its conversion present, as
// checked text ("png", "150").
using option_values = std::map<std::string, std::string>;

// Content limits that keep one job from exhausting the worker; 0 means the
// limit does not apply to the conversion's inputs.
struct content_limits {
    int max_pdf_pages = 0;               // pages of one PDF
    std::int64_t max_image_pixels = 0;   // width x height of one frame
    int max_image_frames = 0;            // frames of all images together
    std::int64_t max_raster_pixels = 0;  // a PDF page rendered at the dpi
};

struct conversion {
    std::string id;                        // "document_to_pdf"
    std::string label;                     // "Word document to PDF"
    std::vector<std::string> extensions;   // accepted, lowercase, no dot
    std::vector<std::string> media_types;  // accepted, for the file picker
    std::vector<file_format> formats;      // accepted content
    std::string output_extension;          // "pdf"
    std::string output_media_type;         // "application/pdf"
    int min_files = 1;
    int max_files = 1;
    std::int64_t max_file_bytes = 0;
    engine_kind engine = engine_kind::office;
    std::vector<conversion_option> options;
    content_limits limits;
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

// Checks option fields sent with an upload against the conversion and
// fills in defaults. Throws api_error (bad_option): `unknown_option` for a
// field the conversion does not take, `bad_option` for a value out of range,
// both naming the field.
option_values resolve_options(const conversion& conv,
                              const std::map<std::string, std::string>& fields);

// The extension of the result for these options: "jpg" for an image
// conversion asked for JPEG. A PDF rendered to several images is zipped; the
// worker decides that once the pages are known.
std::string output_extension(const conversion& conv,
                             const option_values& options);

// The media type a result with this extension is served with.
std::string media_type_of(std::string_view extension);

// Throws api_error unless a PDF with these facts fits the conversion:
// `too_many_pages` (413) or `page_too_large` (413) when rendering it at the
// chosen dpi would exceed the raster limit.
void check_pdf_fits(const conversion& conv, std::string_view file_name,
                    int pages, double largest_page_points_squared,
                    const option_values& options);

// Throws api_error (too_large, `image_too_large`) when one frame of an image
// has more pixels than the conversion takes.
void check_image_fits(const conversion& conv, std::string_view file_name,
                      std::int64_t width, std::int64_t height);

// Throws api_error (too_large, `too_many_frames`) when the images of one
// upload hold more frames than the conversion makes pages.
void check_frame_total(const conversion& conv, int frames);

// The catalog entry as the API shows it in GET /api/conversions.
Json::Value to_json(const conversion& conv);

}  // namespace docshift

// The conversion catalog and the checks that decide whether a user's file
// fits a conversion, with messages that tell the person what to change.
#include "conversion_catalog.hpp"

#include <json/json.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <vector>

#include "api_error.hpp"

namespace docshift {
namespace {

// Bounds the time and memory LibreOffice spends on a single job.
constexpr std::int64_t office_max_file_bytes = 50 * 1024 * 1024;
constexpr std::int64_t pdf_max_file_bytes = 100 * 1024 * 1024;
constexpr std::int64_t image_max_file_bytes = 50 * 1024 * 1024;
constexpr std::int64_t text_max_file_bytes = 5 * 1024 * 1024;

// A decoded frame costs about 4 bytes a pixel in the engines; 100
// megapixels keeps one image well inside the worker's memory limit.
constexpr std::int64_t max_image_pixels = 100'000'000;
constexpr int max_pdf_pages = 2000;

const std::string pdf_type = "application/pdf";

// Names under which plain text is what the engines expect.
constexpr std::string_view text_extensions[] = {"txt",      "csv",  "md",
                                                "markdown", "html", "htm"};

conversion_option format_option(std::vector<std::string> values) {
    return {.name = "format",
            .label = "Image format",
            .type = option_type::enumeration,
            .values = values,
            .default_value = values.front()};
}

conversion office_to(std::string id, std::string label,
                     std::vector<std::string> extensions,
                     std::vector<std::string> media_types,
                     std::vector<file_format> formats, std::string output,
                     std::string output_type) {
    return {.id = std::move(id),
            .label = std::move(label),
            .extensions = std::move(extensions),
            .media_types = std::move(media_types),
            .formats = std::move(formats),
            .output_extension = std::move(output),
            .output_media_type = std::move(output_type),
            .max_file_bytes = office_max_file_bytes,
            .engine = engine_kind::office,
            .options = {},
            .limits = {}};
}

conversion from_pdf(std::string id, std::string label, engine_kind engine,
                    std::string output, std::string output_type) {
    return {.id = std::move(id),
            .label = std::move(label),
            .extensions = {"pdf"},
            .media_types = {pdf_type},
            .formats = {file_format::pdf},
            .output_extension = std::move(output),
            .output_media_type = std::move(output_type),
            .max_file_bytes = pdf_max_file_bytes,
            .engine = engine,
            .options = {},
            .limits = {.max_pdf_pages = max_pdf_pages}};
}

const std::vector<std::string> image_extensions = {"jpg",  "jpeg", "png", "tif",
                                                   "tiff", "webp", "gif"};
const std::vector<std::string> image_media_types = {
    "image/jpeg", "image/jpeg", "image/png", "image/tiff",
    "image/tiff", "image/webp", "image/gif"};
const std::vector<file_format> image_formats = {
    file_format::jpeg, file_format::png, file_format::tiff, file_format::webp,
    file_format::gif};

conversion from_markdown(std::string id, std::string label, std::string output,
                         std::string output_type) {
    return {.id = std::move(id),
            .label = std::move(label),
            .extensions = {"md", "markdown"},
            .media_types = {"text/markdown", "text/markdown"},
            .formats = {file_format::text},
            .output_extension = std::move(output),
            .output_media_type = std::move(output_type),
            .max_file_bytes = text_max_file_bytes,
            .engine = engine_kind::pandoc,
            .options = {},
            .limits = {}};
}

std::vector<conversion> office_conversions() {
    const std::string docx_type =
        "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document";
    const std::string odt_type = "application/vnd.oasis.opendocument.text";
    const std::vector<std::string> documents = {"docx", "doc", "odt", "rtf"};
    const std::vector<std::string> document_types = {
        docx_type, "application/msword", odt_type, "application/rtf"};
    const std::vector<file_format> document_formats = {
        file_format::docx, file_format::doc, file_format::odt,
        file_format::rtf};

    auto with_text = documents;
    with_text.push_back("txt");
    auto with_text_types = document_types;
    with_text_types.push_back("text/plain");
    auto with_text_formats = document_formats;
    with_text_formats.push_back(file_format::text);

    return {
        office_to("document_to_pdf", "Document to PDF", with_text,
                  with_text_types, with_text_formats, "pdf", pdf_type),
        office_to(
            "spreadsheet_to_pdf", "Spreadsheet to PDF",
            {"xlsx", "xls", "ods", "csv"},
            {"application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet",
             "application/vnd.ms-excel",
             "application/vnd.oasis.opendocument.spreadsheet", "text/csv"},
            {file_format::xlsx, file_format::xls, file_format::ods,
             file_format::text},
            "pdf", pdf_type),
        office_to("presentation_to_pdf", "Presentation to PDF",
                  {"pptx", "ppt", "odp"},
                  {"application/vnd.openxmlformats-officedocument."
                   "presentationml.presentation",
                   "application/vnd.ms-powerpoint",
                   "application/vnd.oasis.opendocument.presentation"},
                  {file_format::pptx, file_format::ppt, file_format::odp},
                  "pdf", pdf_type),
        office_to("document_to_docx", "Document to Word (.docx)", documents,
                  document_types, document_formats, "docx", docx_type),
        office_to("document_to_odt", "Document to OpenDocument (.odt)",
                  documents, document_types, document_formats, "odt", odt_type),
    };
}

std::vector<conversion> pdf_conversions() {
    auto to_images = from_pdf("pdf_to_images", "PDF to images",
                              engine_kind::pdf_images, "png", "image/png");
    to_images.options = {
        format_option({"png", "jpeg"}),
        {.name = "dpi",
         .label = "Resolution (dots per inch)",
         .type = option_type::integer,
         .values = {},
         .min = 36,
         .max = 600,
         .default_value = "150"},
    };
    // Rendering costs memory and time per page and per pixel.
    to_images.limits.max_pdf_pages = 200;
    to_images.limits.max_raster_pixels = 50'000'000;

    auto merge = from_pdf("pdf_merge", "Merge PDFs", engine_kind::pdf_merge,
                          "pdf", pdf_type);
    merge.min_files = 2;
    merge.max_files = 20;

    auto compress = from_pdf("pdf_compress", "Compress PDF",
                             engine_kind::pdf_compress, "pdf", pdf_type);
    compress.options = {{.name = "quality",
                         .label = "Image quality",
                         .type = option_type::enumeration,
                         .values = {"medium", "low", "high"},
                         .default_value = "medium"}};

    return {
        from_pdf("pdf_to_text", "PDF to text", engine_kind::pdf_text, "txt",
                 "text/plain; charset=utf-8"),
        std::move(to_images),
        std::move(merge),
        std::move(compress),
        from_pdf("pdf_to_pdfa", "PDF to PDF/A (archival)",
                 engine_kind::pdf_archive, "pdf", pdf_type),
    };
}

std::vector<conversion> image_conversions() {
    conversion to_pdf{.id = "images_to_pdf",
                      .label = "Images to PDF",
                      .extensions = image_extensions,
                      .media_types = image_media_types,
                      .formats = image_formats,
                      .output_extension = "pdf",
                      .output_media_type = pdf_type,
                      .max_files = 50,
                      .max_file_bytes = image_max_file_bytes,
                      .engine = engine_kind::images_pdf,
                      .options = {},
                      .limits = {.max_image_pixels = max_image_pixels,
                                 .max_image_frames = 500}};

    conversion convert{.id = "image_convert",
                       .label = "Convert image",
                       .extensions = image_extensions,
                       .media_types = image_media_types,
                       .formats = image_formats,
                       .output_extension = "png",
                       .output_media_type = "image/png",
                       .max_file_bytes = image_max_file_bytes,
                       .engine = engine_kind::image_convert,
                       .options = {format_option({"png", "jpeg", "webp"})},
                       .limits = {.max_image_pixels = max_image_pixels}};
    return {std::move(to_pdf), std::move(convert)};
}

std::vector<conversion> text_conversions() {
    return {
        from_markdown("markdown_to_pdf", "Markdown to PDF", "pdf", pdf_type),
        from_markdown("markdown_to_docx", "Markdown to Word (.docx)", "docx",
                      "application/vnd.openxmlformats-officedocument."
                      "wordprocessingml.document"),
        from_markdown("markdown_to_html", "Markdown to HTML", "html",
                      "text/html; charset=utf-8"),
        {.id = "html_to_pdf",
         .label = "Web page (HTML) to PDF",
         .extensions = {"html", "htm"},
         .media_types = {"text/html", "text/html"},
         .formats = {file_format::text},
         .output_extension = "pdf",
         .output_media_type = pdf_type,
         .max_file_bytes = text_max_file_bytes,
         .engine = engine_kind::pandoc,
         .options = {},
         .limits = {}},
    };
}

std::vector<conversion> build_catalog() {
    std::vector<conversion> all;
    for (auto group : {office_conversions(), pdf_conversions(),
                       image_conversions(), text_conversions()}) {
        std::ranges::move(group, std::back_inserter(all));
    }
    return all;
}

const std::vector<conversion>& catalog() {
    static const std::vector<conversion> entries = build_catalog();
    return entries;
}

std::string quoted(std::string_view file_name) {
    return "'" + std::string(file_name) + "'";
}

// ".docx, .doc, .odt, .rtf"
std::string dotted_list(const std::vector<std::string>& extensions) {
    std::string list;
    for (const auto& extension : extensions) {
        list += (list.empty() ? "." : ", .") + extension;
    }
    return list;
}

// "312 bytes", "1.5 KiB", "50 MiB". Rounds up, so a file just over a limit
// never reads as equal to it.
std::string human_size(std::int64_t bytes) {
    constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    }

    double value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(units)) {
        value /= 1024;
        ++unit;
    }

    char text[32];
    std::snprintf(text, sizeof text, "%.1f", std::ceil(value * 10) / 10);
    std::string number = text;
    if (number.ends_with(".0")) {
        number.resize(number.size() - 2);
    }
    return number + " " + units[unit];
}

// What a sniffed file turned out to be, to finish "its content is ...".
std::string describe_content(const sniffed_file& sniffed) {
    switch (sniffed.format) {
        case file_format::unknown:
            return sniffed.media_type.starts_with("text/")
                       ? "text in an encoding other than UTF-8"
                       : "damaged or of a type docshift does not know";
        case file_format::empty:
            return "empty";
        case file_format::text:
            return "plain text";
        case file_format::pdf:
            return "a PDF document";
        case file_format::rtf:
            return "an RTF document";
        case file_format::docx:
            return "a Word document (.docx)";
        case file_format::xlsx:
            return "an Excel workbook (.xlsx)";
        case file_format::pptx:
            return "a PowerPoint presentation (.pptx)";
        case file_format::odt:
            return "an OpenDocument text (.odt)";
        case file_format::ods:
            return "an OpenDocument spreadsheet (.ods)";
        case file_format::odp:
            return "an OpenDocument presentation (.odp)";
        case file_format::doc:
            return "a Word 97-2003 document (.doc)";
        case file_format::xls:
            return "an Excel 97-2003 workbook (.xls)";
        case file_format::ppt:
            return "a PowerPoint 97-2003 presentation (.ppt)";
        case file_format::encrypted_office:
            return "a password-protected Office file";
        case file_format::zip:
            return "a zip archive";
        case file_format::png:
            return "a PNG image";
        case file_format::jpeg:
            return "a JPEG image";
        case file_format::gif:
            return "a GIF image";
        case file_format::tiff:
            return "a TIFF image";
        case file_format::webp:
            return "a WebP image";
    }
    return "of an unknown type";
}

[[noreturn]] void throw_type_mismatch(const conversion& conv,
                                      std::string_view file_name,
                                      const sniffed_file& sniffed) {
    const std::string extension = file_extension(file_name);
    std::string message = quoted(file_name);
    if (extension.empty()) {
        message +=
            " has no extension and its content is " + describe_content(sniffed);
    } else {
        message += " is named like a ." + extension +
                   " file but its content is " + describe_content(sniffed);
    }

    // Text in a legacy encoding is the one case the user can fix in place.
    if (sniffed.format == file_format::unknown &&
        sniffed.media_type.starts_with("text/")) {
        message += "; save it as UTF-8 and upload it again";
    } else {
        message += "; " + conv.label + " accepts " +
                   dotted_list(conv.extensions) +
                   " files whose content matches their name";
    }
    throw api_error(error_kind::unsupported_file, "type_mismatch", message);
}

Json::Value string_array(const std::vector<std::string>& items) {
    Json::Value array(Json::arrayValue);
    for (const auto& item : items) {
        array.append(item);
    }
    return array;
}

Json::Value option_json(const conversion_option& option) {
    Json::Value json(Json::objectValue);
    json["name"] = option.name;
    json["label"] = option.label;
    if (option.type == option_type::enumeration) {
        json["type"] = "enum";
        json["values"] = string_array(option.values);
        json["default"] = option.default_value;
    } else {
        json["type"] = "integer";
        json["min"] = option.min;
        json["max"] = option.max;
        json["default"] = std::stoi(option.default_value);
    }
    return json;
}

Json::Value limits_json(const content_limits& limits) {
    Json::Value json(Json::objectValue);
    if (limits.max_pdf_pages > 0) {
        json["max_pdf_pages"] = limits.max_pdf_pages;
    }
    if (limits.max_image_pixels > 0) {
        json["max_image_pixels"] = Json::Int64(limits.max_image_pixels);
    }
    if (limits.max_image_frames > 0) {
        json["max_image_frames"] = limits.max_image_frames;
    }
    if (limits.max_raster_pixels > 0) {
        json["max_raster_pixels"] = Json::Int64(limits.max_raster_pixels);
    }
    return json;
}

api_error unknown_option(const conversion& conv, std::string_view name) {
    std::string message =
        quoted_value(name) + " is not an option of " + conv.label;
    if (conv.options.empty()) {
        message += ", which takes no options";
    } else {
        std::string names;
        for (const auto& option : conv.options) {
            names += (names.empty() ? "'" : ", '") + option.name + "'";
        }
        message += "; its options are " + names;
    }
    return api_error(error_kind::bad_option, "unknown_option", message);
}

void check_option_value(const conversion_option& option,
                        const std::string& value) {
    const std::string shown = quoted_value(value);
    if (option.type == option_type::enumeration) {
        if (std::ranges::find(option.values, value) != option.values.end()) {
            return;
        }
        std::string allowed;
        for (const auto& v : option.values) {
            allowed += (allowed.empty() ? "" : ", ") + v;
        }
        throw api_error(error_kind::bad_option, "bad_option",
                        "option '" + option.name + "' cannot be " + shown +
                            "; choose one of " + allowed);
    }

    int number = 0;
    const auto* end = value.data() + value.size();
    const auto [stop, error] = std::from_chars(value.data(), end, number);
    if (value.empty() || error != std::errc() || stop != end ||
        number < option.min || number > option.max) {
        throw api_error(error_kind::bad_option, "bad_option",
                        "option '" + option.name + "' cannot be " + shown +
                            "; give a whole number from " +
                            std::to_string(option.min) + " to " +
                            std::to_string(option.max));
    }
}

}  // namespace

std::span<const conversion> conversion_catalog() {
    return catalog();
}

const conversion* find_conversion(std::string_view id) {
    const auto& entries = catalog();
    const auto found = std::ranges::find(entries, id, &conversion::id);
    return found == entries.end() ? nullptr : &*found;
}

std::string file_extension(std::string_view file_name) {
    // Browsers on some systems send the full client-side path.
    const auto slash = file_name.find_last_of("/\\");
    if (slash != std::string_view::npos) {
        file_name.remove_prefix(slash + 1);
    }

    // A leading dot marks a hidden file (".bashrc"), not an extension.
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) {
        return "";
    }

    std::string extension(file_name.substr(dot + 1));
    for (char& c : extension) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return extension;
}

void check_extension_fits(const conversion& conv, std::string_view file_name) {
    const std::string extension = file_extension(file_name);
    if (!extension.empty() && std::ranges::find(conv.extensions, extension) !=
                                  conv.extensions.end()) {
        return;
    }

    const std::string what =
        extension.empty() ? quoted(file_name) + " has no file extension"
                          : quoted(file_name) + " is a ." + extension + " file";
    throw api_error(
        error_kind::unsupported_file, "unsupported_extension",
        what + "; " + conv.label + " accepts " + dotted_list(conv.extensions));
}

void check_content_fits(const conversion& conv, std::string_view file_name,
                        std::int64_t size, const sniffed_file& sniffed) {
    if (size == 0 || sniffed.format == file_format::empty) {
        throw api_error(error_kind::malformed_request, "empty_file",
                        quoted(file_name) + " is empty");
    }
    if (size > conv.max_file_bytes) {
        throw api_error(error_kind::too_large, "file_too_large",
                        quoted(file_name) + " is " + human_size(size) + "; " +
                            conv.label + " accepts files up to " +
                            human_size(conv.max_file_bytes));
    }
    if (sniffed.format == file_format::encrypted_office) {
        throw api_error(error_kind::unsupported_file, "encrypted_file",
                        quoted(file_name) +
                            " is protected by a password; remove the "
                            "password and upload it again");
    }
    // Plain text only fits a name that says text: "notes.rtf" holding
    // plain text would reach the engine under the wrong reader.
    const bool named_as_text =
        std::ranges::find(text_extensions, file_extension(file_name)) !=
        std::end(text_extensions);
    if (std::ranges::find(conv.formats, sniffed.format) == conv.formats.end() ||
        (sniffed.format == file_format::text && !named_as_text)) {
        throw_type_mismatch(conv, file_name, sniffed);
    }
}

Json::Value to_json(const conversion& conv) {
    Json::Value json(Json::objectValue);
    json["id"] = conv.id;
    json["label"] = conv.label;
    json["extensions"] = string_array(conv.extensions);
    json["media_types"] = string_array(conv.media_types);

    Json::Value output(Json::objectValue);
    output["extension"] = conv.output_extension;
    output["media_type"] = conv.output_media_type;
    json["output"] = output;

    json["min_files"] = conv.min_files;
    json["max_files"] = conv.max_files;
    json["max_file_bytes"] = static_cast<Json::Int64>(conv.max_file_bytes);

    Json::Value options(Json::arrayValue);
    for (const auto& option : conv.options) {
        options.append(option_json(option));
    }
    json["options"] = options;
    json["limits"] = limits_json(conv.limits);
    return json;
}

option_values resolve_options(
    const conversion& conv, const std::map<std::string, std::string>& fields) {
    for (const auto& [name, value] : fields) {
        const auto known =
            std::ranges::find(conv.options, name, &conversion_option::name);
        if (known == conv.options.end()) {
            throw unknown_option(conv, name);
        }
    }

    option_values resolved;
    for (const auto& option : conv.options) {
        const auto sent = fields.find(option.name);
        if (sent == fields.end()) {
            resolved[option.name] = option.default_value;
            continue;
        }
        check_option_value(option, sent->second);
        // A number is kept in one spelling: "072" is 72.
        resolved[option.name] = option.type == option_type::integer
                                    ? std::to_string(std::stoi(sent->second))
                                    : sent->second;
    }
    return resolved;
}

std::string output_extension(const conversion& conv,
                             const option_values& options) {
    const auto format = options.find("format");
    if (format == options.end()) {
        return conv.output_extension;
    }
    return format->second == "jpeg" ? "jpg" : format->second;
}

std::string media_type_of(std::string_view extension) {
    constexpr std::pair<std::string_view, std::string_view> types[] = {
        {"pdf", "application/pdf"},
        {"txt", "text/plain; charset=utf-8"},
        {"html", "text/html; charset=utf-8"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"webp", "image/webp"},
        {"zip", "application/zip"},
        {"docx",
         "application/vnd.openxmlformats-officedocument."
         "wordprocessingml.document"},
        {"odt", "application/vnd.oasis.opendocument.text"},
    };
    for (const auto& [known, type] : types) {
        if (known == extension) {
            return std::string(type);
        }
    }
    return "application/octet-stream";
}

void check_pdf_fits(const conversion& conv, std::string_view file_name,
                    int pages, double largest_page_points_squared,
                    const option_values& options) {
    const auto& limits = conv.limits;
    if (limits.max_pdf_pages > 0 && pages > limits.max_pdf_pages) {
        throw api_error(error_kind::too_large, "too_many_pages",
                        quoted(file_name) + " has " + std::to_string(pages) +
                            " pages; " + conv.label + " takes up to " +
                            std::to_string(limits.max_pdf_pages) +
                            " pages; split it and convert the parts");
    }
    const auto dpi = options.find("dpi");
    if (limits.max_raster_pixels == 0 || dpi == options.end()) {
        return;
    }

    // A point is 1/72 inch, so a page of w x h points rendered at d dpi
    // has (w d / 72) x (h d / 72) pixels.
    const double scale = std::stod(dpi->second) / 72.0;
    const double pixels = largest_page_points_squared * scale * scale;
    if (pixels <= static_cast<double>(limits.max_raster_pixels)) {
        return;
    }

    // Advice to lower the dpi only helps while there is a lower one.
    const auto dpi_option =
        std::ranges::find(conv.options, "dpi", &conversion_option::name);
    const bool lowest = dpi_option != conv.options.end() &&
                        std::to_string(dpi_option->min) == dpi->second;
    throw api_error(
        error_kind::too_large, "page_too_large",
        quoted(file_name) + " has a page that would be " +
            std::to_string(static_cast<std::int64_t>(pixels / 1e6)) +
            " megapixels at " + dpi->second + " dpi; " + conv.label +
            " renders pages up to " +
            std::to_string(limits.max_raster_pixels / 1'000'000) +
            " megapixels; " +
            (lowest ? "the page is too large to render even at the lowest "
                      "dpi"
                    : "choose a lower dpi"));
}

void check_image_fits(const conversion& conv, std::string_view file_name,
                      std::int64_t width, std::int64_t height) {
    // An image of no pixels is broken, not large.
    if (width <= 0 || height <= 0) {
        throw api_error(error_kind::unsupported_file, "damaged_file",
                        quoted(file_name) + " claims to be " +
                            std::to_string(width) + " x " +
                            std::to_string(height) +
                            " pixels, which no image is; it is damaged");
    }
    const auto limit = conv.limits.max_image_pixels;
    if (limit > 0 &&
        (width > limit || height > limit || width * height > limit)) {
        throw api_error(error_kind::too_large, "image_too_large",
                        quoted(file_name) + " is " + std::to_string(width) +
                            " x " + std::to_string(height) + " pixels; " +
                            conv.label + " takes images up to " +
                            std::to_string(limit / 1'000'000) +
                            " megapixels; scale it down first");
    }
}

void check_frame_total(const conversion& conv, int frames) {
    const int limit = conv.limits.max_image_frames;
    if (limit > 0 && frames > limit) {
        throw api_error(error_kind::too_large, "too_many_frames",
                        "the images hold " + std::to_string(frames) +
                            " pages or frames in all; " + conv.label +
                            " makes up to " + std::to_string(limit) + " pages");
    }
}

}  // namespace docshift

// The conversion catalog and the checks that decide whether a user's file
// fits a conversion, with messages that tell the person what to change.
#include "conversion_catalog.hpp"

#include <json/json.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <vector>

#include "api_error.hpp"

namespace docshift {
namespace {

// Bounds the time and memory LibreOffice spends on a single job.
constexpr std::int64_t office_max_file_bytes = 50 * 1024 * 1024;

std::vector<conversion> build_catalog() {
    return {
        conversion{
            .id = "document_to_pdf",
            .label = "Document to PDF",
            .extensions = {"docx", "doc", "odt", "rtf"},
            .media_types = {"application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document",
                            "application/msword",
                            "application/vnd.oasis.opendocument.text",
                            "application/rtf"},
            .formats = {file_format::docx, file_format::doc, file_format::odt,
                        file_format::rtf},
            .output_extension = "pdf",
            .output_media_type = "application/pdf",
            .max_files = 1,
            .max_file_bytes = office_max_file_bytes,
            .engine = engine_kind::office,
        },
        conversion{
            .id = "spreadsheet_to_pdf",
            .label = "Spreadsheet to PDF",
            .extensions = {"xlsx", "xls", "ods", "csv"},
            .media_types = {"application/vnd.openxmlformats-officedocument."
                            "spreadsheetml.sheet",
                            "application/vnd.ms-excel",
                            "application/vnd.oasis.opendocument.spreadsheet",
                            "text/csv"},
            .formats = {file_format::xlsx, file_format::xls, file_format::ods,
                        file_format::text},
            .output_extension = "pdf",
            .output_media_type = "application/pdf",
            .max_files = 1,
            .max_file_bytes = office_max_file_bytes,
            .engine = engine_kind::office,
        },
        conversion{
            .id = "presentation_to_pdf",
            .label = "Presentation to PDF",
            .extensions = {"pptx", "ppt", "odp"},
            .media_types = {"application/vnd.openxmlformats-officedocument."
                            "presentationml.presentation",
                            "application/vnd.ms-powerpoint",
                            "application/vnd.oasis.opendocument.presentation"},
            .formats = {file_format::pptx, file_format::ppt, file_format::odp},
            .output_extension = "pdf",
            .output_media_type = "application/pdf",
            .max_files = 1,
            .max_file_bytes = office_max_file_bytes,
            .engine = engine_kind::office,
        },
    };
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
    if (std::ranges::find(conv.formats, sniffed.format) == conv.formats.end()) {
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

    json["max_files"] = conv.max_files;
    json["max_file_bytes"] = static_cast<Json::Int64>(conv.max_file_bytes);

    // No conversion takes options yet; clients can already rely on the key.
    json["options"] = Json::Value(Json::arrayValue);
    return json;
}

}  // namespace docshift

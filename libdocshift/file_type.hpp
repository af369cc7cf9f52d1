// What a file really is, judged by its content: magic bytes through
// libmagic, and for zip and OLE2 containers a look at what they hold.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace docshift {

enum class file_format {
    unknown,  // nothing we recognise
    empty,    // zero bytes
    text,     // plain text (CSV, TXT), valid UTF-8 or ASCII
    pdf,
    rtf,
    docx,              // OOXML word processing
    xlsx,              // OOXML spreadsheet
    pptx,              // OOXML presentation
    odt,               // OpenDocument text
    ods,               // OpenDocument spreadsheet
    odp,               // OpenDocument presentation
    doc,               // OLE2 Word 97-2003
    xls,               // OLE2 Excel 97-2003
    ppt,               // OLE2 PowerPoint 97-2003
    encrypted_office,  // OLE2 wrapper around a password-protected OOXML file
    zip,               // a zip that is none of the office formats
    png,
    jpeg,
    gif,
    tiff,
    webp,
};

// Stable lowercase name of a format, as used in logs and error messages
// ("docx", "png", "encrypted_office", ...).
std::string_view format_name(file_format format);

// The extension an engine should see for a file of this format ("docx",
// "csv" for text, ...); empty for formats no engine takes.
std::string_view format_extension(file_format format);

struct sniffed_file {
    file_format format = file_format::unknown;
    std::string media_type;  // what libmagic reported, for messages and logs
};

// Reads the file at `path` and decides its format. Throws std::system_error
// when the file cannot be read.
sniffed_file sniff_file(const std::filesystem::path& path);

}  // namespace docshift

// Decides what a stored file really is: libmagic for magic bytes, libzip for
// the parts inside zip containers, and a streaming UTF-8 check for text.
#include "file_type.hpp"

#include <fcntl.h>
#include <magic.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cctype>
#include <cerrno>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "unique_fd.hpp"
#include "utf8.hpp"

namespace docshift {
namespace {

using namespace std::string_view_literals;

// Enough for every signature checked here, and the whole window in which
// PDF readers accept a header after leading junk.
constexpr std::size_t head_bytes = 1024;

// The text check streams the file, so memory stays bounded whatever the
// upload limit.
constexpr std::size_t text_chunk_bytes = 64 * 1024;

// An ODF mimetype entry is a short line; anything longer is not one.
constexpr std::size_t mimetype_entry_limit = 128;

constexpr auto zip_signature = "PK\x03\x04"sv;
constexpr auto empty_zip_signature = "PK\x05\x06"sv;
constexpr auto ole2_signature = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv;

struct magic_closer {
    void operator()(magic_t cookie) const noexcept { magic_close(cookie); }
};
using magic_handle =
    std::unique_ptr<std::remove_pointer_t<magic_t>, magic_closer>;

struct zip_closer {
    // Read-only archives have nothing to write back, so discard never fails.
    void operator()(zip_t* archive) const noexcept { zip_discard(archive); }
};
using zip_handle = std::unique_ptr<zip_t, zip_closer>;

struct zip_file_closer {
    void operator()(zip_file_t* file) const noexcept { zip_fclose(file); }
};
using zip_file_handle = std::unique_ptr<zip_file_t, zip_file_closer>;

std::system_error file_error(int error, std::string_view verb,
                             const std::filesystem::path& path) {
    return std::system_error(
        error, std::generic_category(),
        "cannot " + std::string(verb) + " '" + path.string() + "'");
}

unique_fd open_file(const std::filesystem::path& path) {
    // Workers fork conversion engines; they must not inherit user files.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw file_error(errno, "open", path);
    }
    return unique_fd(fd);
}

std::int64_t file_size(int fd, const std::filesystem::path& path) {
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        throw file_error(errno, "stat", path);
    }
    return status.st_size;
}

// Reads up to buffer.size() bytes at `offset`; fewer only at end of file.
// pread leaves the file position alone, which libmagic reads from.
std::size_t read_at(int fd, const std::filesystem::path& path,
                    std::int64_t offset, std::span<char> buffer) {
    std::size_t done = 0;
    while (done < buffer.size()) {
        const ssize_t got =
            ::pread(fd, buffer.data() + done, buffer.size() - done,
                    static_cast<off_t>(offset) + static_cast<off_t>(done));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            throw file_error(errno, "read", path);
        }
        if (got == 0) {
            break;
        }
        done += static_cast<std::size_t>(got);
    }
    return done;
}

std::string read_head(int fd, const std::filesystem::path& path) {
    std::string head(head_bytes, '\0');
    head.resize(read_at(fd, path, 0, head));
    return head;
}

magic_handle load_magic() {
    magic_handle cookie(magic_open(MAGIC_MIME_TYPE));
    if (!cookie) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot start libmagic");
    }

    if (magic_load(cookie.get(), nullptr) != 0) {
        const char* reason = magic_error(cookie.get());
        throw std::runtime_error(
            std::string("cannot load the libmagic database: ") +
            (reason != nullptr ? reason : "unknown error"));
    }
    return cookie;
}

// One cookie with the default database for the life of each thread: loading
// the database costs far more than a lookup, and a cookie must never be
// used by two threads at once (the worker checks results from every slot).
magic_t magic_cookie() {
    thread_local const magic_handle cookie = load_magic();
    return cookie.get();
}

std::string magic_media_type(int fd, const std::filesystem::path& path) {
    const magic_t cookie = magic_cookie();
    const char* type = magic_descriptor(cookie, fd);
    if (type == nullptr) {
        const char* reason = magic_error(cookie);
        throw std::runtime_error(
            "libmagic cannot identify '" + path.string() +
            "': " + (reason != nullptr ? reason : "unknown error"));
    }
    return type;
}

bool zip_has_entry(zip_t* archive, const char* name) {
    return zip_name_locate(archive, name, 0) >= 0;
}

// The first `limit` bytes of an entry, or nothing when the entry is
// missing or cannot be inflated (a damaged archive).
std::optional<std::string> read_zip_entry(zip_t* archive, const char* name,
                                          std::size_t limit) {
    const zip_file_handle file(zip_fopen(archive, name, 0));
    if (!file) {
        return std::nullopt;
    }

    std::string content(limit, '\0');
    const zip_int64_t got = zip_fread(file.get(), content.data(), limit);
    if (got < 0) {
        return std::nullopt;
    }
    content.resize(static_cast<std::size_t>(got));
    return content;
}

// An office format is only claimed when its main part actually inflates,
// so a damaged package is not passed on as a good one.
file_format if_part_readable(zip_t* archive, const char* part,
                             file_format format) {
    return read_zip_entry(archive, part, 1) ? format : file_format::unknown;
}

std::optional<file_format> sniff_odf(zip_t* archive) {
    auto mimetype = read_zip_entry(archive, "mimetype", mimetype_entry_limit);
    if (!mimetype) {
        return std::nullopt;
    }
    while (!mimetype->empty() &&
           std::isspace(static_cast<unsigned char>(mimetype->back()))) {
        mimetype->pop_back();
    }

    constexpr std::pair<std::string_view, file_format> odf_types[] = {
        {"application/vnd.oasis.opendocument.text", file_format::odt},
        {"application/vnd.oasis.opendocument.spreadsheet", file_format::ods},
        {"application/vnd.oasis.opendocument.presentation", file_format::odp},
    };
    for (const auto& [type, format] : odf_types) {
        if (*mimetype == type) {
            return if_part_readable(archive, "content.xml", format);
        }
    }
    return std::nullopt;
}

// OOXML is recognised by its main part rather than by entry order, which
// differs between the programs that write these files.
std::optional<file_format> sniff_ooxml(zip_t* archive) {
    if (!zip_has_entry(archive, "[Content_Types].xml")) {
        return std::nullopt;
    }

    constexpr std::pair<const char*, file_format> main_parts[] = {
        {"word/document.xml", file_format::docx},
        {"xl/workbook.xml", file_format::xlsx},
        {"ppt/presentation.xml", file_format::pptx},
    };
    for (const auto& [part, format] : main_parts) {
        if (zip_has_entry(archive, part)) {
            return if_part_readable(archive, part, format);
        }
    }
    return std::nullopt;
}

file_format sniff_zip(const std::filesystem::path& path) {
    int error = 0;
    const zip_handle archive(zip_open(path.c_str(), ZIP_RDONLY, &error));
    if (!archive) {
        return file_format::unknown;
    }

    if (auto odf = sniff_odf(archive.get())) {
        return *odf;
    }
    if (auto ooxml = sniff_ooxml(archive.get())) {
        return *ooxml;
    }
    return file_format::zip;
}

// libmagic reads the OLE2 directory and names the application by the
// streams it finds; an encrypted OOXML package holds EncryptedPackage.
file_format sniff_ole2(std::string_view media_type) {
    constexpr std::pair<std::string_view, file_format> ole2_types[] = {
        {"application/msword", file_format::doc},
        {"application/vnd.ms-excel", file_format::xls},
        {"application/vnd.ms-powerpoint", file_format::ppt},
        {"application/encrypted", file_format::encrypted_office},
    };
    for (const auto& [type, format] : ole2_types) {
        if (media_type == type) {
            return format;
        }
    }
    return file_format::unknown;
}

std::optional<file_format> sniff_image(std::string_view media_type) {
    constexpr std::pair<std::string_view, file_format> image_types[] = {
        {"image/png", file_format::png},   {"image/jpeg", file_format::jpeg},
        {"image/gif", file_format::gif},   {"image/tiff", file_format::tiff},
        {"image/webp", file_format::webp},
    };
    for (const auto& [type, format] : image_types) {
        if (media_type == type) {
            return format;
        }
    }
    return std::nullopt;
}

// Checks UTF-8 fed in pieces, so a character may straddle two chunks.
// Overlong forms, surrogates and code points past U+10FFFF are refused, as
// is NUL, which no text file holds.
class utf8_validator {
public:
    bool feed(std::string_view bytes) {
        for (const char byte : bytes) {
            const auto c = static_cast<unsigned char>(byte);
            if (pending_ > 0) {
                if (c < low_ || c > high_) {
                    return false;
                }
                low_ = 0x80;
                high_ = 0xBF;
                --pending_;
            } else if (c == 0 || (c >= 0x80 && !start_sequence(c))) {
                return false;
            }
        }
        return true;
    }

    bool complete() const noexcept { return pending_ == 0; }

private:
    bool start_sequence(unsigned char byte) {
        const auto lead = utf8_lead_of(byte);
        if (!lead) {
            return false;
        }
        pending_ = lead->continuation_bytes;
        low_ = lead->first_low;
        high_ = lead->first_high;
        return true;
    }

    int pending_ = 0;
    unsigned char low_ = 0x80;
    unsigned char high_ = 0xBF;
};

// Reads the whole file in chunks: libmagic only looks at the first few
// megabytes, and one bad byte anywhere breaks a CSV import.
bool is_utf8_text(int fd, const std::filesystem::path& path) {
    std::vector<char> chunk(text_chunk_bytes);
    utf8_validator validator;
    std::int64_t offset = 0;

    while (true) {
        const std::size_t got = read_at(fd, path, offset, chunk);
        if (!validator.feed(std::string_view(chunk.data(), got))) {
            return false;
        }
        if (got < chunk.size()) {
            return validator.complete();
        }
        offset += static_cast<std::int64_t>(got);
    }
}

file_format classify(int fd, const std::filesystem::path& path,
                     std::string_view head, std::string_view media_type) {
    if (head.starts_with(zip_signature) ||
        head.starts_with(empty_zip_signature)) {
        return sniff_zip(path);
    }
    if (head.starts_with(ole2_signature)) {
        return sniff_ole2(media_type);
    }
    if (media_type == "application/pdf") {
        return file_format::pdf;
    }
    if (media_type == "text/rtf" || head.starts_with("{\\rtf")) {
        return file_format::rtf;
    }
    if (auto image = sniff_image(media_type)) {
        return *image;
    }

    // libmagic calls many plain files text/html, text/x-c and the like;
    // what matters for an import is clean UTF-8.
    if (media_type.starts_with("text/") && is_utf8_text(fd, path)) {
        return file_format::text;
    }

    // PDF readers accept junk before the header; libmagic does not.
    if (head.find("%PDF-") != std::string_view::npos) {
        return file_format::pdf;
    }
    return file_format::unknown;
}

}  // namespace

std::string_view format_name(file_format format) {
    switch (format) {
        case file_format::unknown:
            return "unknown";
        case file_format::empty:
            return "empty";
        case file_format::text:
            return "text";
        case file_format::pdf:
            return "pdf";
        case file_format::rtf:
            return "rtf";
        case file_format::docx:
            return "docx";
        case file_format::xlsx:
            return "xlsx";
        case file_format::pptx:
            return "pptx";
        case file_format::odt:
            return "odt";
        case file_format::ods:
            return "ods";
        case file_format::odp:
            return "odp";
        case file_format::doc:
            return "doc";
        case file_format::xls:
            return "xls";
        case file_format::ppt:
            return "ppt";
        case file_format::encrypted_office:
            return "encrypted_office";
        case file_format::zip:
            return "zip";
        case file_format::png:
            return "png";
        case file_format::jpeg:
            return "jpeg";
        case file_format::gif:
            return "gif";
        case file_format::tiff:
            return "tiff";
        case file_format::webp:
            return "webp";
    }
    return "unknown";
}

std::string_view format_extension(file_format format) {
    switch (format) {
        case file_format::text:
            return "csv";
        case file_format::jpeg:
            return "jpg";
        case file_format::tiff:
            return "tif";
        case file_format::unknown:
        case file_format::empty:
        case file_format::encrypted_office:
        case file_format::zip:
            return "";
        default:
            // Every other format's name is also its usual extension.
            return format_name(format);
    }
}

sniffed_file sniff_file(const std::filesystem::path& path) {
    const unique_fd file = open_file(path);
    const std::int64_t size = file_size(file.get(), path);
    const std::string head = read_head(file.get(), path);

    sniffed_file sniffed;
    sniffed.media_type = magic_media_type(file.get(), path);
    sniffed.format = size == 0
                         ? file_format::empty
                         : classify(file.get(), path, head, sniffed.media_type);
    return sniffed;
}

}  // namespace docshift

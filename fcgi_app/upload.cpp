#include "upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <optional>
#include <system_error>

#include "api_error.hpp"
#include "file_type.hpp"
#include "http.hpp"
#include "image_header.hpp"
#include "log.hpp"
#include "multipart_reader.hpp"
#include "pdf_info.hpp"
#include "storage.hpp"
#include "unique_fd.hpp"

namespace docshift {

namespace {

constexpr std::size_t max_field_bytes = 1024;
// More fields than any conversion has options, with room for mistakes.
constexpr std::size_t max_fields = 32;
constexpr std::size_t read_chunk_bytes = 64 * 1024;

// A full disk is the service's condition, not the request's fault: the
// person can try again later. Any other failure is a bug or a broken host.
[[noreturn]] void throw_storage_error(const std::string& what) {
    if (errno == ENOSPC || errno == EDQUOT) {
        throw api_error(error_kind::unavailable, "storage_full",
                        "the server has no room for uploads right now; "
                        "try again later");
    }
    throw std::system_error(errno, std::generic_category(), what);
}

// A file part on its way to disk.
struct incoming_file {
    std::string name;  // the user's name
    std::filesystem::path path;
    std::int64_t size = 0;
};

api_error bad_request(const char* code, const std::string& message) {
    return api_error(error_kind::malformed_request, code, message);
}

// Collects the parts of the body: text fields in memory (they are small),
// files straight to disk.
class upload_handler : public multipart_handler {
public:
    upload_handler(const std::filesystem::path& dir) : dir_(dir) {}

    void on_part_begin(const part_headers& headers) override {
        if (headers.filename) {
            begin_file(headers);
        } else {
            begin_field(headers.name);
        }
    }

    void on_part_data(std::string_view bytes) override {
        if (file_) {
            write_file(bytes);
        } else if (field_) {
            append_field(bytes);
        }
    }

    void on_part_end() override {
        file_.reset();
        field_ = nullptr;
    }

    std::optional<std::string> conversion_id;
    std::map<std::string, std::string> fields;  // option fields by name
    std::vector<incoming_file> files;

private:
    // Options are checked once the conversion is known, which may come
    // after them in the body.
    void begin_field(const std::string& name) {
        if (name == "conversion" ? conversion_id.has_value()
                                 : fields.contains(name)) {
            throw bad_request(
                "repeated_field",
                "the field " + quoted_value(name) + " was sent twice");
        }
        if (name == "conversion") {
            conversion_id.emplace();
            field_ = &*conversion_id;
            return;
        }
        if (fields.size() >= max_fields) {
            throw bad_request("too_many_fields",
                              "the form has more than " +
                                  std::to_string(max_fields) + " fields");
        }
        field_ = &fields[name];
    }

    void append_field(std::string_view bytes) {
        if (field_->size() + bytes.size() > max_field_bytes) {
            throw bad_request("field_too_long",
                              "a form field is longer than " +
                                  std::to_string(max_field_bytes) + " bytes");
        }
        field_->append(bytes);
    }

    void begin_file(const part_headers& headers) {
        if (headers.name != "file") {
            throw bad_request("unexpected_file",
                              "files must be sent in fields named 'file', "
                              "not " +
                                  quoted_value(headers.name));
        }
        // A browser form with no file chosen sends an empty, nameless part.
        if (headers.filename->empty()) {
            return;
        }

        // The user's name goes to the database only; on disk the file gets a
        // name of our own, until its type is known.
        const auto position = static_cast<int>(files.size()) + 1;
        const auto path = dir_ / ("upload-" + std::to_string(position));
        const int fd =
            ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd < 0) {
            throw_storage_error("cannot create '" + path.string() + "'");
        }
        file_.emplace(fd);
        files.push_back({*headers.filename, path, 0});
    }

    void write_file(std::string_view bytes) {
        while (!bytes.empty()) {
            const auto written =
                ::write(file_->get(), bytes.data(), bytes.size());
            if (written < 0 && errno == EINTR) {
                continue;
            }
            if (written < 0) {
                throw_storage_error("cannot write '" +
                                    files.back().path.string() + "'");
            }
            bytes.remove_prefix(static_cast<std::size_t>(written));
            files.back().size += written;
        }
    }

    std::filesystem::path dir_;
    std::optional<unique_fd> file_;
    std::string* field_ = nullptr;
};

void read_body(body_reader& body, multipart_reader& reader,
               const upload_limits& limits) {
    std::vector<char> buffer(read_chunk_bytes);
    std::int64_t total = 0;
    while (const auto got = body.read(buffer.data(), buffer.size())) {
        total += static_cast<std::int64_t>(got);
        if (total > limits.max_body_bytes) {
            throw api_error(error_kind::too_large, "request_too_large",
                            "the upload is larger than the limit of " +
                                std::to_string(limits.max_body_bytes) +
                                " bytes");
        }
        reader.feed({buffer.data(), got});
    }
    reader.finish();
}

const conversion& chosen_conversion(const std::optional<std::string>& id) {
    if (!id || id->empty()) {
        throw bad_request("missing_conversion",
                          "choose a conversion: the field 'conversion' is "
                          "missing");
    }
    const conversion* found = find_conversion(*id);
    if (found == nullptr) {
        throw bad_request(
            "unknown_conversion",
            quoted_value(*id) + " is not a conversion docshift offers");
    }
    return *found;
}

void check_file_count(const conversion& conv, std::size_t count) {
    if (count == 0) {
        throw bad_request("missing_file", "choose a file to convert");
    }
    if (count < static_cast<std::size_t>(conv.min_files)) {
        throw bad_request("too_few_files",
                          conv.label + " needs at least " +
                              std::to_string(conv.min_files) + " files, and " +
                              std::to_string(count) +
                              (count == 1 ? " was sent" : " were sent"));
    }
    if (count > static_cast<std::size_t>(conv.max_files)) {
        throw bad_request("too_many_files",
                          conv.label + " takes at most " +
                              std::to_string(conv.max_files) +
                              (conv.max_files == 1 ? " file" : " files") +
                              ", and " + std::to_string(count) + " were sent");
    }
}

std::string quoted(const std::string& name) {
    return "'" + name + "'";
}

// Opens the PDF as the engines will: a user password, damage beyond repair
// and too many or too large pages are refused here, not in a failed job.
void check_pdf(const conversion& conv, const incoming_file& file,
               const option_values& options) {
    const pdf_info info = read_pdf_info(file.path);
    if (info.state == pdf_state::encrypted) {
        throw api_error(error_kind::unsupported_file, "encrypted_file",
                        quoted(file.name) +
                            " is protected by a password; remove the "
                            "password and upload it again");
    }
    if (info.state == pdf_state::damaged) {
        log::info("damaged pdf refused", {{"problem", info.problem}});
        throw api_error(error_kind::unsupported_file, "damaged_file",
                        quoted(file.name) +
                            " is a damaged PDF that cannot be repaired; "
                            "export it again from the program that made it");
    }
    check_pdf_fits(conv, file.name, info.pages, info.largest_page_area,
                   options);
}

// Returns the frames the image holds, after checking its pixel count from
// the header alone: a pixel bomb is never decoded.
int check_image(const conversion& conv, const incoming_file& file,
                file_format format) {
    const auto header = read_image_header(file.path, format);
    if (!header) {
        throw api_error(error_kind::unsupported_file, "damaged_file",
                        quoted(file.name) +
                            " is a damaged image: its header cannot be "
                            "read");
    }
    check_image_fits(conv, file.name, header->width, header->height);
    return header->frames;
}

bool is_image(file_format format) {
    return format == file_format::png || format == file_format::jpeg ||
           format == file_format::gif || format == file_format::tiff ||
           format == file_format::webp;
}

// Checks one stored file and gives it the name an engine will see; returns
// the frames of an image, 0 otherwise.
int accept_file(const conversion& conv, const incoming_file& file, int position,
                const option_values& options) {
    check_extension_fits(conv, file.name);
    const sniffed_file sniffed = sniff_file(file.path);
    check_content_fits(conv, file.name, file.size, sniffed);

    int frames = 0;
    if (sniffed.format == file_format::pdf) {
        check_pdf(conv, file, options);
    } else if (is_image(sniffed.format)) {
        frames = check_image(conv, file, sniffed.format);
    }

    // Plain text is CSV, TXT, Markdown or HTML by its checked name alone;
    // engines choose their reader by the extension.
    const auto extension = sniffed.format == file_format::text
                               ? file_extension(file.name)
                               : std::string(format_extension(sniffed.format));
    const auto safe =
        file.path.parent_path() / storage::input_name(position, extension);
    std::filesystem::rename(file.path, safe);
    return frames;
}

}  // namespace

validated_upload receive_upload(body_reader& body, const std::string& boundary,
                                const std::filesystem::path& dir,
                                const upload_limits& limits) {
    std::filesystem::create_directory(dir);
    upload_handler handler(dir);
    multipart_reader reader(boundary, handler);
    read_body(body, reader, limits);

    validated_upload result;
    result.chosen = &chosen_conversion(handler.conversion_id);
    result.options = resolve_options(*result.chosen, handler.fields);
    check_file_count(*result.chosen, handler.files.size());

    int position = 0;
    int frames = 0;
    for (const auto& file : handler.files) {
        frames += accept_file(*result.chosen, file, ++position, result.options);
        result.inputs.push_back({file.name, file.size});
    }
    check_frame_total(*result.chosen, frames);
    return result;
}

}  // namespace docshift

// A conversion job as docshift keeps it: who owns it, what it converts,
// where it stands, and how the API shows it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Json {
class Value;
}

namespace docshift {

enum class job_status { queued, running, succeeded, failed };

std::string_view status_name(job_status status);

// Throws std::invalid_argument for a name that is no status.
job_status parse_status(std::string_view name);

struct input_file {
    std::string name;  // the user's file name, UTF-8, shown back unchanged
    std::int64_t size = 0;
};

struct job_error {
    std::string code;
    std::string message;
};

struct job {
    std::string id;
    std::string client_id;
    std::string conversion;
    job_status status = job_status::queued;
    std::vector<input_file> inputs;
    // Every option of the conversion, checked, by name ("dpi" -> "150").
    std::map<std::string, std::string> options;
    std::optional<std::string> output_name;  // the download's file name
    std::optional<std::int64_t> output_size;
    std::optional<job_error> error;
    int attempts = 0;
    std::string created_at;  // ISO 8601, UTC
    std::optional<std::string> started_at;
    std::optional<std::string> finished_at;
    std::string expires_at;
};

// The job as GET /api/jobs/{id} shows it. The client id is left out: the
// client knows it, and nobody else may see it.
Json::Value to_json(const job& j);

// A file's name without its extension ("Relatório final.docx" ->
// "Relatório final"); a name that starts with its only dot keeps it.
std::string_view file_stem(std::string_view name);

// The name a result gets: the first input's name with the output extension
// in place of its own ("Relatório final.docx" -> "Relatório final.pdf").
// A download must not take the original's place, so a PDF rewritten as a
// PDF says what was done ("report.pdf" -> "report-compressed.pdf", -pdfa,
// -merged), and any other result that would carry its input's name, in
// any case of letters, gets "-converted" ("photo.png" ->
// "photo-converted.png").
std::string output_file_name(std::string_view input_name,
                             std::string_view conversion_id,
                             std::string_view output_extension);

}  // namespace docshift

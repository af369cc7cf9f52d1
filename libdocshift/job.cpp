#include "job.hpp"

#include <json/json.h>

#include <algorithm>
#include <stdexcept>

namespace docshift {

namespace {

constexpr std::string_view status_names[] = {"queued", "running", "succeeded",
                                             "failed"};

// What the PDF-to-PDF conversions add to a result's name.
struct name_suffix {
    std::string_view conversion_id;
    std::string_view suffix;
};
constexpr name_suffix pdf_result_suffixes[] = {
    {"pdf_compress", "-compressed"},
    {"pdf_to_pdfa", "-pdfa"},
    {"pdf_merge", "-merged"},
};

// For any other result that would take its input's name.
constexpr std::string_view same_name_suffix = "-converted";

// Case-insensitive for ASCII letters, as the file systems a download may
// land on compare names.
bool same_file_name(std::string_view a, std::string_view b) {
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [&](char x, char y) { return lower(x) == lower(y); });
}

Json::Value optional_json(const std::optional<std::string>& value) {
    return value ? Json::Value(*value) : Json::Value(Json::nullValue);
}

}  // namespace

std::string_view status_name(job_status status) {
    return status_names[static_cast<int>(status)];
}

job_status parse_status(std::string_view name) {
    for (int i = 0; i < 4; ++i) {
        if (status_names[i] == name) {
            return static_cast<job_status>(i);
        }
    }
    throw std::invalid_argument("unknown job status '" + std::string(name) +
                                "'");
}

Json::Value to_json(const job& j) {
    Json::Value value(Json::objectValue);
    value["id"] = j.id;
    value["conversion"] = j.conversion;
    value["status"] = std::string(status_name(j.status));

    Json::Value inputs(Json::arrayValue);
    for (const auto& input : j.inputs) {
        Json::Value file(Json::objectValue);
        file["name"] = input.name;
        file["size"] = Json::Int64(input.size);
        inputs.append(file);
    }
    value["inputs"] = inputs;

    Json::Value output(Json::nullValue);
    if (j.output_name) {
        output = Json::Value(Json::objectValue);
        output["name"] = *j.output_name;
        output["size"] = Json::Int64(j.output_size.value_or(0));
    }
    value["output"] = output;

    Json::Value error(Json::nullValue);
    if (j.error) {
        error = Json::Value(Json::objectValue);
        error["code"] = j.error->code;
        error["message"] = j.error->message;
    }
    value["error"] = error;

    Json::Value options(Json::objectValue);
    for (const auto& [name, option] : j.options) {
        options[name] = option;
    }
    value["options"] = options;

    value["attempts"] = j.attempts;
    value["created_at"] = j.created_at;
    value["started_at"] = optional_json(j.started_at);
    value["finished_at"] = optional_json(j.finished_at);
    value["expires_at"] = j.expires_at;
    return value;
}

std::string_view file_stem(std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) {
        return name;
    }
    return name.substr(0, dot);
}

std::string output_file_name(std::string_view input_name,
                             std::string_view conversion_id,
                             std::string_view output_extension) {
    const std::string stem(file_stem(input_name));
    const auto extension = "." + std::string(output_extension);

    for (const auto& [conversion, suffix] : pdf_result_suffixes) {
        if (conversion == conversion_id) {
            return stem + std::string(suffix) + extension;
        }
    }

    auto name = stem + extension;
    if (same_file_name(name, input_name)) {
        return stem + std::string(same_name_suffix) + extension;
    }
    return name;
}

}  // namespace docshift

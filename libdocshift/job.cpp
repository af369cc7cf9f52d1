#include "job.hpp"

#include <json/json.h>

#include <stdexcept>

namespace docshift {

namespace {

constexpr std::string_view status_names[] = {"queued", "running", "succeeded",
                                             "failed"};

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
                             std::string_view output_extension) {
    return std::string(file_stem(input_name)) + "." +
           std::string(output_extension);
}

}  // namespace docshift

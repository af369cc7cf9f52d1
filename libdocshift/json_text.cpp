#include "json_text.hpp"

#include <json/reader.h>
#include <json/writer.h>

#include <memory>
#include <stdexcept>

#include "utf8.hpp"

namespace docshift {

namespace {

Json::StreamWriterBuilder make_writer_builder() {
    Json::StreamWriterBuilder builder;
    builder["indentation"] = "";
    builder["emitUTF8"] = true;
    return builder;
}

}  // namespace

std::string json_text(const Json::Value& value) {
    // Reading the settings of a const builder is safe from every thread.
    static const Json::StreamWriterBuilder builder = make_writer_builder();
    std::string text = Json::writeString(builder, value);

    // jsoncpp copies a string's bytes as they are when it emits UTF-8.
    // Escaping only ever touches ASCII, so repairing the whole text is the
    // same as repairing each string in it.
    if (!is_utf8(text)) {
        text = valid_utf8(text);
    }
    return text;
}

Json::Value parse_json_text(std::string_view text, std::string_view what) {
    static const Json::CharReaderBuilder builder;
    const std::unique_ptr<Json::CharReader> reader(builder.newCharReader());

    Json::Value value;
    std::string errors;
    if (!reader->parse(text.data(), text.data() + text.size(), &value,
                       &errors)) {
        throw std::runtime_error("bad " + std::string(what) + ": " + errors);
    }
    return value;
}

}  // namespace docshift

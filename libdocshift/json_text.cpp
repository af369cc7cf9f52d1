#include "json_text.hpp"

#include <json/reader.h>
#include <json/writer.h>

#include <memory>
#include <stdexcept>

#include "utf8.hpp"

namespace docshift {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

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

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x80) {
        return 1;
    }
    const auto lead = utf8_lead_of(byte);
    if (!lead) {
        return 0;
    }

    const auto length = static_cast<std::size_t>(lead->continuation_bytes) + 1;
    if (at + length > text.size()) {
        return 0;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        const unsigned char low = i == 1 ? lead->first_low : 0x80;
        const unsigned char high = i == 1 ? lead->first_high : 0xBF;
        if (next < low || next > high) {
            return 0;
        }
    }
    return length;
}

bool is_utf8(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        const auto length = utf8_sequence_length(text, at);
        if (length == 0) {
            return false;
        }
        at += length;
    }
    return true;
}

std::string valid_utf8(std::string_view text) {
    std::string result;
    result.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const auto length = utf8_sequence_length(text, at);
        if (length == 0) {
            result += replacement_character;
            ++at;
            continue;
        }
        result.append(text.substr(at, length));
        at += length;
    }
    return result;
}

}  // namespace docshift

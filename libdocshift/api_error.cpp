#include "api_error.hpp"

#include <cstdio>

#include "utf8.hpp"

namespace docshift {

namespace {

// U+0000..U+001F, U+007F and U+0080..U+009F, given the UTF-8 sequence of
// one character.
bool is_control_character(std::string_view character) {
    const auto lead = static_cast<unsigned char>(character[0]);
    if (character.size() == 1) {
        return lead < 0x20 || lead == 0x7F;
    }
    return lead == 0xC2 && static_cast<unsigned char>(character[1]) <= 0x9F;
}

// "\u0000" for NUL: the notation of JSON and of most languages.
std::string escaped_control(std::string_view character) {
    auto code = static_cast<unsigned>(static_cast<unsigned char>(character[0]));
    if (character.size() == 2) {
        code = static_cast<unsigned char>(character[1]);  // U+0080..U+009F
    }
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\u%04x", code);
    return escape;
}

}  // namespace

std::string printable_message(std::string_view message) {
    const std::string valid = valid_utf8(message);
    const std::string_view text = valid;

    std::string result;
    result.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const auto character = text.substr(at, utf8_sequence_length(text, at));
        if (is_control_character(character)) {
            result += escaped_control(character);
        } else {
            result += character;
        }
        at += character.size();
    }
    return result;
}

std::string quoted_value(std::string_view value, std::size_t longest) {
    if (value.size() <= longest) {
        return "'" + std::string(value) + "'";
    }
    // Back off from a cut inside a character, whose continuation bytes
    // (10xxxxxx) are three at most.
    auto length = longest;
    const auto is_continuation = [&](std::size_t at) {
        return (static_cast<unsigned char>(value[at]) & 0xC0) == 0x80;
    };
    while (length > 0 && longest - length < 3 && is_continuation(length)) {
        --length;
    }
    return "'" + std::string(value.substr(0, length)) + "...'";
}

int http_status(error_kind kind) {
    switch (kind) {
        case error_kind::malformed_request:
            return 400;
        case error_kind::forbidden:
            return 403;
        case error_kind::not_found:
            return 404;
        case error_kind::not_ready:
            return 409;
        case error_kind::too_large:
            return 413;
        case error_kind::unsupported_file:
            return 415;
        case error_kind::bad_option:
            return 422;
        case error_kind::too_many:
            return 429;
        case error_kind::unavailable:
            return 503;
        case error_kind::internal:
            return 500;
    }
    return 500;
}

}  // namespace docshift

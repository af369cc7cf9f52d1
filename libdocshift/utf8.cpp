#include "utf8.hpp"

namespace docshift {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

}  // namespace

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

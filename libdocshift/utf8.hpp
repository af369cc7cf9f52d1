// The one place that knows how UTF-8 characters are built, for the checks
// of uploaded text and of the text docshift writes into its answers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace docshift {

// What the lead byte of a multi-byte UTF-8 character says about the rest:
// how many continuation bytes follow, and the range the first of them
// must fall in. That range is narrower than 0x80..0xBF where it rules out
// overlong forms, surrogates and code points past U+10FFFF.
struct utf8_lead {
    int continuation_bytes;
    unsigned char first_low;
    unsigned char first_high;
};

// The lead of a multi-byte character, or nothing for a byte that starts
// none: ASCII, a continuation byte, or a byte UTF-8 never uses.
constexpr std::optional<utf8_lead> utf8_lead_of(unsigned char byte) {
    if (byte >= 0xC2 && byte <= 0xDF) {
        return utf8_lead{1, 0x80, 0xBF};
    }
    if (byte >= 0xE0 && byte <= 0xEF) {
        return utf8_lead{
            2, static_cast<unsigned char>(byte == 0xE0 ? 0xA0 : 0x80),
            static_cast<unsigned char>(byte == 0xED ? 0x9F : 0xBF)};
    }
    if (byte >= 0xF0 && byte <= 0xF4) {
        return utf8_lead{
            3, static_cast<unsigned char>(byte == 0xF0 ? 0x90 : 0x80),
            static_cast<unsigned char>(byte == 0xF4 ? 0x8F : 0xBF)};
    }
    return std::nullopt;
}

// The length of the well-formed UTF-8 sequence starting at `at`, or 0.
// Overlong forms, surrogates and code points past U+10FFFF are ill-formed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

bool is_utf8(std::string_view text);

// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD, one
// replacement per byte that starts no character.
std::string valid_utf8(std::string_view text);

}  // namespace docshift

// JSON as text: the compact form the API answers with and the database's
// json columns hold, and the reverse. The jsoncpp builders are made once
// per process, since making one costs more than writing a small value.
// JSON text is UTF-8 (RFC 8259), so the UTF-8 checks live here too.
#pragma once

#include <json/value.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace docshift {

// `value` on one line, with UTF-8 text kept as it is rather than escaped.
// Always valid UTF-8: an ill-formed sequence in a string becomes U+FFFD.
std::string json_text(const Json::Value& value);

// The value `text` holds; throws std::runtime_error naming `what` (such as
// "inputs column") when it is not JSON.
Json::Value parse_json_text(std::string_view text, std::string_view what);

// The length of the well-formed UTF-8 sequence starting at `at`, or 0.
// Overlong forms, surrogates and code points past U+10FFFF are ill-formed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

bool is_utf8(std::string_view text);

// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD, one
// replacement per byte that starts no character.
std::string valid_utf8(std::string_view text);

}  // namespace docshift

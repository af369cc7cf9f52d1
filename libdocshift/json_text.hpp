// JSON as text: the compact form the API answers with and the database's
// json columns hold, and the reverse. The jsoncpp builders are made once
// per process, since making one costs more than writing a small value.
#pragma once

#include <json/value.h>

#include <string>
#include <string_view>

namespace docshift {

// `value` on one line, with UTF-8 text kept as it is rather than escaped.
// Always valid UTF-8: an ill-formed sequence in a string becomes U+FFFD.
std::string json_text(const Json::Value& value);

// The value `text` holds; throws std::runtime_error naming `what` (such as
// "inputs column") when it is not JSON.
Json::Value parse_json_text(std::string_view text, std::string_view what);

}  // namespace docshift

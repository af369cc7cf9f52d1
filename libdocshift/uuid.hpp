// UUIDs in their canonical text form, through libuuid.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docshift {

// A fresh random (version 4) UUID, lowercase.
std::string new_uuid();

// The lowercase form of `text` when it is a well-formed UUID of any
// version, otherwise nothing.
std::optional<std::string> canonical_uuid(std::string_view text);

// Whether a canonical UUID is a random one: version 4, RFC 4122 variant.
bool is_uuid_v4(std::string_view canonical);

}  // namespace docshift

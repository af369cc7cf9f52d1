#include "uuid.hpp"

#include <uuid/uuid.h>

namespace docshift {

namespace {

constexpr std::size_t uuid_text_length = 36;

std::string unparse_lower(const uuid_t uuid) {
    char text[uuid_text_length + 1];
    uuid_unparse_lower(uuid, text);
    return text;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

}  // namespace

std::string new_uuid() {
    uuid_t uuid;
    uuid_generate_random(uuid);
    return unparse_lower(uuid);
}

std::optional<std::string> canonical_uuid(std::string_view text) {
    // uuid_parse() wants a NUL-terminated string of exactly this length;
    // anything else (longer, shorter, an embedded NUL) is no UUID.
    if (text.size() != uuid_text_length ||
        text.find('\0') != std::string_view::npos) {
        return std::nullopt;
    }
    const std::string copy(text);
    uuid_t uuid;
    if (uuid_parse(copy.c_str(), uuid) != 0) {
        return std::nullopt;
    }
    return unparse_lower(uuid);
}

bool is_uuid_v4(std::string_view canonical) {
    // xxxxxxxx-xxxx-Vxxx-Rxxx-xxxxxxxxxxxx: V is the version, the top two
    // bits of R the variant.
    return canonical.size() == uuid_text_length && canonical[14] == '4' &&
           (hex_digit(canonical[19]) & 0xC) == 0x8;
}

}  // namespace docshift

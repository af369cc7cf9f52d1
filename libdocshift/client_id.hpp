// The anonymous client id: a UUID v4 that owns every job a browser or API
// client creates. Malformed ids are never trusted or echoed back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docshift {

// The canonical lowercase form of `text` when it is a well-formed UUID v4
// (version nibble 4, RFC 4122 variant), otherwise nothing.
std::optional<std::string> parse_client_id(std::string_view text);

// A fresh random UUID v4 in canonical lowercase form.
std::string new_client_id();

// The value of cookie `name` in a Cookie request header, if present.
std::optional<std::string_view> find_cookie(std::string_view cookie_header,
                                            std::string_view name);

struct resolved_client {
    std::string id;
    bool issued = false;       // true when the id is new and needs a cookie
    bool from_cookie = false;  // true when the `client_id` cookie named it
};

// Applies the client id rules: a valid `X-Client-Id` header wins, then a
// valid `client_id` cookie; anything else gets a fresh id.
resolved_client resolve_client_id(std::string_view header_value,
                                  std::string_view cookie_header);

// The Set-Cookie value that hands `id` to a browser for 24 hours from now.
std::string client_cookie(const std::string& id, bool secure);

}  // namespace docshift

#include "client_id.hpp"

#include "uuid.hpp"

namespace docshift {

namespace {

std::string_view trim(std::string_view text) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

std::optional<std::string> parse_client_id(std::string_view text) {
    // Only random ids: other versions may encode a MAC address or a time.
    auto id = canonical_uuid(text);
    if (!id || !is_uuid_v4(*id)) {
        return std::nullopt;
    }
    return id;
}

std::string new_client_id() {
    return new_uuid();
}

std::optional<std::string_view> find_cookie(std::string_view cookie_header,
                                            std::string_view name) {
    while (!cookie_header.empty()) {
        const auto end = cookie_header.find(';');
        const auto pair = trim(cookie_header.substr(0, end));
        cookie_header = end == std::string_view::npos
                            ? std::string_view{}
                            : cookie_header.substr(end + 1);

        const auto equals = pair.find('=');
        if (equals == std::string_view::npos ||
            trim(pair.substr(0, equals)) != name) {
            continue;
        }
        auto value = trim(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        return value;
    }
    return std::nullopt;
}

resolved_client resolve_client_id(std::string_view header_value,
                                  std::string_view cookie_header) {
    if (auto id = parse_client_id(trim(header_value))) {
        return {std::move(*id), false};
    }
    if (const auto cookie = find_cookie(cookie_header, "client_id")) {
        if (auto id = parse_client_id(*cookie)) {
            return {std::move(*id), false, true};
        }
    }
    return {new_client_id(), true};
}

std::string client_cookie(const std::string& id, bool secure) {
    std::string cookie =
        "client_id=" + id + "; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax";
    if (secure) {
        cookie += "; Secure";
    }
    return cookie;
}

}  // namespace docshift

// Parses multipart/form-data bodies (RFC 7578, RFC 2046) as a push parser.
#include "multipart_reader.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

#include "api_error.hpp"
#include "utf8.hpp"

namespace docshift {

namespace {

constexpr std::size_t max_boundary_length = 70;  // RFC 2046 section 5.1.1

[[noreturn]] void throw_malformed(const std::string& message) {
    throw api_error(error_kind::malformed_request, "malformed_multipart",
                    message);
}

[[noreturn]] void throw_bad_file_name(const std::string& message) {
    throw api_error(error_kind::malformed_request, "bad_file_name", message);
}

std::string part_label(std::size_t part) {
    return "part " + std::to_string(part) + " of the upload";
}

// Header values are the client's own text; a long one would swamp the
// message that quotes it.
std::string quoted_excerpt(std::string_view text) {
    return quoted_value(text, 80);
}

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::string lowercase(std::string_view text) {
    std::string result(text);
    for (auto& c : result) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return result;
}

bool is_token_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9')) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) !=
           std::string_view::npos;
}

bool is_token(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return is_token_char(c);
    });
}

// A header value split into its leading word (lowercased) and its
// `; name=value` parameters (names lowercased, values unquoted).
struct header_value {
    std::string type;
    std::vector<std::pair<std::string, std::string>> params;
};

const std::string* find_param(const header_value& value,
                              std::string_view name) {
    for (const auto& [key, param] : value.params) {
        if (key == name) {
            return &param;
        }
    }
    return nullptr;
}

// Reads a quoted-string at the front of `text` into `out`. A backslash
// escapes only a quote or another backslash: older browsers sent Windows
// paths with bare backslashes, and those must survive as they are.
bool read_quoted(std::string_view& text, std::string& out) {
    std::size_t i = 1;
    while (i < text.size()) {
        char c = text[i];
        bool escape = c == '\\' && i + 1 < text.size() &&
                      (text[i + 1] == '"' || text[i + 1] == '\\');
        if (escape) {
            out += text[i + 1];
            i += 2;
            continue;
        }
        if (c == '"') {
            text.remove_prefix(i + 1);
            return true;
        }
        out += c;
        ++i;
    }
    return false;
}

// Reads `name=value` at the front of `text`, leaving `text` at the next
// semicolon or at its end.
std::optional<std::pair<std::string, std::string>> read_param(
    std::string_view& text) {
    auto equals = text.find('=');
    auto name = trim(text.substr(0, equals));
    if (equals == std::string_view::npos || !is_token(name)) {
        return std::nullopt;
    }
    text = trim(text.substr(equals + 1));

    std::string value;
    if (!text.empty() && text.front() == '"') {
        if (!read_quoted(text, value)) {
            return std::nullopt;
        }
    } else {
        auto end = std::min(text.find(';'), text.size());
        value = trim(text.substr(0, end));
        text.remove_prefix(end);
    }

    text = trim(text);
    if (!text.empty() && text.front() != ';') {
        return std::nullopt;
    }
    return std::pair{lowercase(name), std::move(value)};
}

// Splits `word; a=b; c="d"`. A repeated parameter makes the value unusable:
// two readers could pick different ones.
std::optional<header_value> parse_header_value(std::string_view text) {
    header_value result;
    auto semicolon = std::min(text.find(';'), text.size());
    result.type = lowercase(trim(text.substr(0, semicolon)));
    if (result.type.empty()) {
        return std::nullopt;
    }
    text.remove_prefix(semicolon);

    while (!text.empty()) {
        text = trim(text.substr(1));
        if (text.empty() || text.front() == ';') {
            continue;
        }
        auto param = read_param(text);
        if (!param || find_param(result, param->first)) {
            return std::nullopt;
        }
        result.params.push_back(std::move(*param));
    }
    return result;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string result;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            result += text[i];
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        int high = hex_digit(text[i + 1]);
        int low = hex_digit(text[i + 2]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        result += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return result;
}

std::string latin1_to_utf8(std::string_view text) {
    std::string result;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            result += c;
            continue;
        }
        result += static_cast<char>(0xC0 | (byte >> 6));
        result += static_cast<char>(0x80 | (byte & 0x3F));
    }
    return result;
}

// Decodes an RFC 5987 value: charset'language'percent-encoded-text.
std::optional<std::string> decode_extended_value(std::string_view value) {
    auto first = value.find('\'');
    auto second = first == std::string_view::npos ? std::string_view::npos
                                                  : value.find('\'', first + 1);
    if (second == std::string_view::npos) {
        return std::nullopt;
    }
    auto charset = lowercase(value.substr(0, first));
    auto text = percent_decode(value.substr(second + 1));

    if (!text) {
        return std::nullopt;
    }
    if (charset == "utf-8") {
        return text;
    }
    if (charset == "iso-8859-1") {
        return latin1_to_utf8(*text);
    }
    return std::nullopt;
}

// Expects valid UTF-8, where 0xC2 is always the lead byte of U+0080..U+00BF.
bool has_control_character(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7F) {
            return true;
        }
        bool c1 = byte == 0xC2 && i + 1 < text.size() &&
                  static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (c1) {
            return true;
        }
    }
    return false;
}

// Browsers write a '"' in a file name as %22 (the HTML form-data rules),
// since the name is a quoted-string. A name really holding "%22" reads
// back as '"'; no browser sends such a name any other way.
std::string browser_unescaped(std::string name) {
    constexpr std::string_view escaped_quote = "%22";
    for (auto at = name.find(escaped_quote); at != std::string::npos;
         at = name.find(escaped_quote, at + 1)) {
        name.replace(at, escaped_quote.size(), "\"");
    }
    return name;
}

// filename* (RFC 5987) wins over filename when a client sends both.
std::optional<std::string> file_name_of(const header_value& disposition,
                                        std::size_t part) {
    const auto* extended = find_param(disposition, "filename*");
    const auto* plain = find_param(disposition, "filename");
    if (!extended && !plain) {
        return std::nullopt;
    }

    std::string name = plain ? browser_unescaped(*plain) : std::string();
    if (extended) {
        auto decoded = decode_extended_value(*extended);
        if (!decoded) {
            throw_bad_file_name(
                "the filename* of " + part_label(part) + ", " +
                quoted_excerpt(*extended) +
                ", is not UTF-8''percent-encoded text; send the file name "
                "in that form or as a plain filename");
        }
        name = std::move(*decoded);
    }

    if (!is_utf8(name)) {
        throw_bad_file_name("the file name in " + part_label(part) +
                            " is not valid UTF-8; send the name as UTF-8");
    }
    if (has_control_character(name)) {
        throw_bad_file_name("the file name in " + part_label(part) +
                            " contains control characters such as line "
                            "breaks; rename the file and upload it again");
    }
    return name;
}

void read_disposition(std::string_view text, std::size_t part,
                      part_headers& headers) {
    auto disposition = parse_header_value(text);
    if (!disposition) {
        throw_malformed("the Content-Disposition of " + part_label(part) +
                        ", " + quoted_excerpt(text) +
                        ", cannot be parsed; send form-data; name=\"...\"");
    }
    if (disposition->type != "form-data") {
        throw_malformed("the Content-Disposition of " + part_label(part) +
                        " is " + quoted_excerpt(disposition->type) +
                        ", not 'form-data'; send every part as form-data");
    }

    const auto* name = find_param(*disposition, "name");
    if (!name || name->empty()) {
        throw_malformed(part_label(part) +
                        " has no field name; add name=\"...\" to its "
                        "Content-Disposition header");
    }
    headers.name = *name;
    headers.filename = file_name_of(*disposition, part);
}

// Keeps a header's value, refusing a second one: two readers of the same
// body could otherwise pick different values.
void keep_header(std::optional<std::string>& slot, std::string_view name,
                 std::string_view value, std::size_t part) {
    if (slot) {
        throw_malformed(part_label(part) + " has more than one " +
                        std::string(name) +
                        " header; send each header once per part");
    }
    slot = std::string(value);
}

// `block` holds the part's header lines, each ending in CRLF.
part_headers parse_part_headers(std::string_view block, std::size_t part) {
    std::optional<std::string> disposition;
    std::optional<std::string> content_type;
    while (!block.empty()) {
        auto end = block.find("\r\n");
        auto line = block.substr(0, end);
        block.remove_prefix(end + 2);

        auto colon = line.find(':');
        auto name = line.substr(0, std::min(colon, line.size()));
        if (colon == std::string_view::npos || !is_token(name)) {
            throw_malformed(part_label(part) +
                            " has a header line that is "
                            "not 'Name: value': " +
                            quoted_excerpt(line));
        }
        auto value = trim(line.substr(colon + 1));
        auto key = lowercase(name);
        if (key == "content-disposition") {
            keep_header(disposition, "Content-Disposition", value, part);
        } else if (key == "content-type") {
            keep_header(content_type, "Content-Type", value, part);
        }
    }

    if (!disposition) {
        throw_malformed(part_label(part) +
                        " has no Content-Disposition header; send "
                        "Content-Disposition: form-data; name=\"...\"");
    }
    part_headers headers;
    read_disposition(*disposition, part, headers);
    headers.content_type = content_type.value_or("");
    return headers;
}

bool is_boundary_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') ||
           std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// Refuses a boundary RFC 2046 does not allow: 1 to 70 of its characters,
// not ending in a space.
void check_boundary(std::string_view boundary) {
    if (boundary.size() > max_boundary_length) {
        throw_malformed("the multipart boundary in the Content-Type is " +
                        std::to_string(boundary.size()) +
                        " characters long; RFC 2046 allows 1 to " +
                        std::to_string(max_boundary_length) +
                        ", so send a shorter one");
    }
    if (!std::all_of(boundary.begin(), boundary.end(), is_boundary_char) ||
        boundary.back() == ' ') {
        throw_malformed("the multipart boundary in the Content-Type, " +
                        quoted_excerpt(boundary) +
                        ", has characters RFC 2046 does not allow in a "
                        "boundary; use letters, digits and '()+_,-./:=? "
                        "only, and do not end it with a space");
    }
}

}  // namespace

multipart_reader::multipart_reader(std::string boundary,
                                   multipart_handler& handler,
                                   multipart_limits limits)
    : delimiter_("\r\n--" + boundary),
      handler_(handler),
      limits_(limits),
      carry_("\r\n") {
    // The carried CRLF lets a body open with its first boundary: RFC 2046
    // drops the CRLF before a boundary only at the very start.
    if (boundary.empty()) {
        throw std::invalid_argument("multipart boundary is empty");
    }
}

void multipart_reader::feed(std::string_view bytes) {
    if (stage_ == stage::failed) {
        throw std::logic_error("multipart_reader fed after an error");
    }

    received_ = received_ || !bytes.empty();
    try {
        while (!bytes.empty() && stage_ != stage::epilogue) {
            bytes.remove_prefix(step(bytes));
        }
    } catch (...) {
        stage_ = stage::failed;
        throw;
    }
}

void multipart_reader::finish() {
    if (stage_ == stage::failed) {
        throw std::logic_error("multipart_reader finished after an error");
    }
    if (stage_ == stage::epilogue) {
        return;
    }

    const bool in_preamble = stage_ == stage::preamble;
    stage_ = stage::failed;
    if (!received_) {
        throw_malformed(
            "the upload is empty; send the form's parts, each after a line "
            "with the boundary the Content-Type names");
    }
    // Not one boundary line came: the parts were cut with another
    // boundary, or the body is not multipart at all.
    if (in_preamble) {
        throw_malformed("the upload does not start with a line " +
                        quoted_value(delimiter_.substr(2)) +
                        ", the boundary its Content-Type names; send the "
                        "parts between lines of that boundary");
    }
    throw_malformed(
        "the upload ended before its closing boundary; send the whole "
        "request again");
}

std::optional<std::string> multipart_reader::boundary_of(
    std::string_view content_type) {
    auto value = parse_header_value(content_type);
    if (!value || value->type != "multipart/form-data") {
        return std::nullopt;
    }

    const auto* boundary = find_param(*value, "boundary");
    if (!boundary || boundary->empty()) {
        return std::nullopt;
    }
    check_boundary(*boundary);
    return *boundary;
}

// Consumes a prefix of `bytes` (possibly none, but then the carry shrank)
// and returns its length.
std::size_t multipart_reader::step(std::string_view bytes) {
    switch (stage_) {
        case stage::preamble:
        case stage::body:
            return carry_.empty() ? scan(bytes) : scan_with_carry(bytes);
        case stage::headers:
            return read_headers(bytes);
        case stage::epilogue:
        case stage::failed:
            return bytes.size();
        default:
            return read_boundary_line(bytes);
    }
}

// Looks for the delimiter in `bytes` alone. What cannot be the start of a
// delimiter is passed on at once; only a possible start is carried.
std::size_t multipart_reader::scan(std::string_view bytes) {
    auto at = bytes.find(delimiter_);
    if (at != std::string_view::npos) {
        deliver(bytes.substr(0, at));
        pass_delimiter();
        return at + delimiter_.size();
    }

    auto kept = partial_delimiter_length(bytes);
    deliver(bytes.substr(0, bytes.size() - kept));
    carry_.assign(bytes.substr(bytes.size() - kept));
    return bytes.size();
}

// Looks for a delimiter that starts in the carry. One delimiter's length of
// new input is enough to settle that, so no more is copied.
std::size_t multipart_reader::scan_with_carry(std::string_view bytes) {
    auto carried = carry_.size();
    auto taken = std::min(bytes.size(), delimiter_.size());
    std::string window = carry_;
    window.append(bytes.substr(0, taken));
    carry_.clear();

    auto at = window.find(delimiter_);
    if (at != std::string::npos) {
        deliver(std::string_view(window).substr(0, at));
        pass_delimiter();
        return at + delimiter_.size() - carried;
    }

    // Input too short to settle it: carry what may still start a delimiter.
    if (taken == bytes.size()) {
        auto kept = partial_delimiter_length(window);
        deliver(std::string_view(window).substr(0, window.size() - kept));
        carry_.assign(window, window.size() - kept);
        return taken;
    }
    deliver(std::string_view(window).substr(0, carried));
    return 0;
}

// The length of the longest tail of `bytes` that begins the delimiter.
std::size_t multipart_reader::partial_delimiter_length(
    std::string_view bytes) const {
    std::string_view delimiter = delimiter_;
    auto longest = std::min(bytes.size(), delimiter.size() - 1);
    for (auto length = longest; length > 0; --length) {
        if (bytes.substr(bytes.size() - length) ==
            delimiter.substr(0, length)) {
            return length;
        }
    }
    return 0;
}

// Part data goes to the handler; preamble bytes are dropped.
void multipart_reader::deliver(std::string_view bytes) {
    if (stage_ == stage::body && !bytes.empty()) {
        handler_.on_part_data(bytes);
    }
}

void multipart_reader::pass_delimiter() {
    if (stage_ == stage::body) {
        handler_.on_part_end();
    }
    stage_ = stage::after_delimiter;
}

// The rest of a boundary line is a few bytes: "--" to close the body, or
// optional padding and CRLF. They are read one at a time.
std::size_t multipart_reader::read_boundary_line(std::string_view bytes) {
    std::size_t used = 0;
    while (used < bytes.size() && stage_ != stage::headers &&
           stage_ != stage::epilogue) {
        advance_boundary_line(bytes[used]);
        ++used;
    }
    return used;
}

void multipart_reader::advance_boundary_line(char c) {
    bool padding = stage_ == stage::after_delimiter || stage_ == stage::padding;
    if (stage_ == stage::after_delimiter && c == '-') {
        stage_ = stage::closing_dash;
    } else if (padding && is_space(c)) {
        stage_ = stage::padding;
    } else if (padding && c == '\r') {
        stage_ = stage::line_end;
    } else if (stage_ == stage::closing_dash && c == '-') {
        stage_ = stage::epilogue;
    } else if (stage_ == stage::line_end && c == '\n') {
        begin_headers();
    } else {
        throw_malformed(
            "a boundary line in the upload is followed by other text; end "
            "each boundary line with CRLF, or with -- for the last one");
    }
}

void multipart_reader::begin_headers() {
    ++parts_;
    if (parts_ > limits_.max_parts) {
        throw_malformed("the upload has more than " +
                        std::to_string(limits_.max_parts) +
                        " parts; send fewer fields and files");
    }

    // The CRLF that ended the boundary line lets an empty header block be
    // found by the same CRLF CRLF search as any other.
    header_block_ = "\r\n";
    stage_ = stage::headers;
}

// Gathers the header block up to its blank line, never more than the limit
// plus the two CRLFs around it.
std::size_t multipart_reader::read_headers(std::string_view bytes) {
    auto capacity = limits_.max_header_bytes + 4;
    auto old_size = header_block_.size();
    auto taken = std::min(bytes.size(), capacity - old_size);
    header_block_.append(bytes.substr(0, taken));

    auto from = old_size < 3 ? 0 : old_size - 3;
    auto end = header_block_.find("\r\n\r\n", from);
    if (end == std::string::npos) {
        if (header_block_.size() >= capacity) {
            throw_malformed("the headers of " + part_label(parts_) +
                            " are longer than " +
                            std::to_string(limits_.max_header_bytes) +
                            " bytes; send shorter part headers");
        }
        return taken;
    }

    header_block_.resize(end + 2);
    begin_part();
    return end + 4 - old_size;
}

void multipart_reader::begin_part() {
    auto headers =
        parse_part_headers(std::string_view(header_block_).substr(2), parts_);
    header_block_.clear();
    header_block_.shrink_to_fit();

    stage_ = stage::body;
    handler_.on_part_begin(headers);
}

}  // namespace docshift

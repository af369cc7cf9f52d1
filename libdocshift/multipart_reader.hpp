// A streaming reader for multipart/form-data request bodies: bytes go in as
// they arrive, in chunks of any size; parts come out through a handler, so an
// upload of any size is never held in memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace docshift {

struct part_headers {
    std::string name;                     // from Content-Disposition
    std::optional<std::string> filename;  // UTF-8, present for file parts
    std::string content_type;             // empty when the part sent none
};

// Receives the parts of a body in order. Any exception thrown here stops the
// reader and propagates out of feed().
class multipart_handler {
public:
    virtual ~multipart_handler() = default;
    virtual void on_part_begin(const part_headers& headers) = 0;
    virtual void on_part_data(std::string_view bytes) = 0;
    virtual void on_part_end() = 0;
};

struct multipart_limits {
    std::size_t max_header_bytes = 16 * 1024;  // per part, all header lines
    std::size_t max_parts = 64;
};

class multipart_reader {
public:
    multipart_reader(std::string boundary, multipart_handler& handler,
                     multipart_limits limits = {});

    // Consumes the next bytes of the body. Throws api_error
    // (malformed_request, code `malformed_multipart`) on a broken body.
    void feed(std::string_view bytes);

    // Declares the body complete. Throws api_error (malformed_request, code
    // `malformed_multipart`) when the closing boundary never came, saying
    // whether the body was empty, never had the boundary, or was cut short.
    void finish();

    // The boundary parameter of a multipart/form-data Content-Type, or
    // nothing when the type is something else, cannot be parsed or names no
    // boundary. Throws api_error (malformed_request, code
    // `malformed_multipart`) for a boundary RFC 2046 does not allow: longer
    // than 70 characters, or with other characters than it lists.
    static std::optional<std::string> boundary_of(
        std::string_view content_type);

private:
    enum class stage {
        preamble,         // before the first boundary
        after_delimiter,  // just past a "--boundary"
        closing_dash,     // past "--boundary-", one dash from the end
        padding,          // spaces or tabs after a boundary
        line_end,         // past the CR that ends a boundary line
        headers,          // inside a part's header block
        body,             // inside a part's data
        epilogue,         // past the closing boundary
        failed,           // an error was thrown; the reader is spent
    };

    std::size_t step(std::string_view bytes);
    std::size_t scan(std::string_view bytes);
    std::size_t scan_with_carry(std::string_view bytes);
    std::size_t partial_delimiter_length(std::string_view bytes) const;
    void deliver(std::string_view bytes);
    void pass_delimiter();
    std::size_t read_boundary_line(std::string_view bytes);
    void advance_boundary_line(char c);
    void begin_headers();
    std::size_t read_headers(std::string_view bytes);
    void begin_part();

    std::string delimiter_;  // CRLF, two dashes, then the boundary
    multipart_handler& handler_;
    multipart_limits limits_;
    stage stage_ = stage::preamble;
    std::string carry_;         // a tail of input that may start a delimiter
    std::string header_block_;  // the current part's header lines so far
    std::size_t parts_ = 0;
    bool received_ = false;  // whether any byte of the body came
};

}  // namespace docshift

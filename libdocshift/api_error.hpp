// Errors that reach an API client: who is at fault decides the HTTP status,
// and a stable code plus a sentence tell the person what to do about it.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace docshift {

// What went wrong, from the client's point of view. The HTTP layer maps each
// kind to one status in http_status(); nothing else chooses statuses.
enum class error_kind {
    malformed_request,  // the request itself is broken
    forbidden,          // refused whoever asks, e.g. from another site
    not_found,          // no such job for this client
    not_ready,          // the job exists but has no result (yet)
    too_large,          // a file or the body is over a limit
    unsupported_file,   // a file does not fit the chosen conversion
    bad_option,         // an option field has a value the catalog refuses
    too_many,           // too many active jobs or requests
    unavailable,        // a dependency (the database) is away
    internal,           // our own bug
};

int http_status(error_kind kind);

// The message as a client may be shown it. Messages quote what clients
// sent, which can be any bytes: an ill-formed UTF-8 sequence becomes U+FFFD
// and a control character (NUL, a line break, ...) its \u escape, so the
// text is valid UTF-8, prints on one line, and no NUL cuts it short.
std::string printable_message(std::string_view message);

// `value`, text a client sent, in quotes for a message: its first `longest`
// bytes, never cut inside a UTF-8 character, then "..." when it was longer.
std::string quoted_value(std::string_view value, std::size_t longest = 64);

// An error with a stable machine-readable code (`empty_file`,
// `type_mismatch`, ...) and a message a person can act on. Every message
// passes through printable_message(), so no call site has to.
class api_error : public std::runtime_error {
public:
    api_error(error_kind kind, std::string code, std::string_view message)
        : std::runtime_error(printable_message(message)),
          kind_(kind),
          code_(std::move(code)) {}

    error_kind kind() const noexcept { return kind_; }
    const std::string& code() const noexcept { return code_; }

private:
    error_kind kind_;
    std::string code_;
};

}  // namespace docshift

// Errors that reach an API client: who is at fault decides the HTTP status,
// and a stable code plus a sentence tell the person what to do about it.
#pragma once

#include <stdexcept>
#include <string>

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

// An error with a stable machine-readable code (`empty_file`,
// `type_mismatch`, ...) and a message a person can act on.
class api_error : public std::runtime_error {
public:
    api_error(error_kind kind, std::string code, const std::string& message)
        : std::runtime_error(message), kind_(kind), code_(std::move(code)) {}

    error_kind kind() const noexcept { return kind_; }
    const std::string& code() const noexcept { return code_; }

private:
    error_kind kind_;
    std::string code_;
};

}  // namespace docshift

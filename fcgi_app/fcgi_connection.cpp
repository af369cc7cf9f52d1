#include "fcgi_connection.hpp"

#include <fcgiapp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

#include "api_error.hpp"

namespace docshift {

namespace {

std::string param(FCGX_ParamArray envp, const char* name) {
    const char* value = FCGX_GetParam(name, envp);
    return value != nullptr ? value : "";
}

std::optional<std::int64_t> content_length(const std::string& text) {
    std::int64_t length = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, length);
    if (text.empty() || ec != std::errc{} || ptr != end || length < 0) {
        return std::nullopt;
    }
    return length;
}

// The body of a FastCGI request, read as the API asks for it.
class fcgi_body : public body_reader {
public:
    explicit fcgi_body(FCGX_Stream* in) : in_(in) {}

    std::size_t read(char* buffer, std::size_t size) override {
        const int got = FCGX_GetStr(buffer, static_cast<int>(size), in_);
        if (got < 0 || FCGX_GetError(in_) != 0) {
            throw api_error(error_kind::malformed_request, "truncated_body",
                            "the upload was cut off before it was complete; "
                            "send it again");
        }
        return static_cast<std::size_t>(got);
    }

private:
    FCGX_Stream* in_;
};

// Whether nothing of the request's body is left unread. A body the API
// refused before its end is not read any further here: this costs at most
// one byte of it. nginx sends a body whole before reading the answer, so
// this never waits on a client.
bool body_read_to_end(FCGX_Stream* in) {
    char byte = 0;
    return FCGX_GetStr(&byte, 1, in) == 0 && FCGX_HasSeenEOF(in) == EOF;
}

}  // namespace

struct fcgi_connection::state {
    FCGX_Request request{};
    std::optional<fcgi_body> body;
};

fcgi_connection::fcgi_connection(int listen_fd)
    : state_(std::make_unique<state>()) {
    FCGX_InitRequest(&state_->request, listen_fd, 0);
}

fcgi_connection::~fcgi_connection() {
    FCGX_Free(&state_->request, 1);
}

bool fcgi_connection::accept() {
    state_->body.reset();
    return FCGX_Accept_r(&state_->request) == 0;
}

http_request fcgi_connection::request() {
    const auto envp = state_->request.envp;
    state_->body.emplace(state_->request.in);

    http_request result;
    result.method = param(envp, "REQUEST_METHOD");
    result.path = param(envp, "DOCUMENT_URI");
    result.content_type = param(envp, "CONTENT_TYPE");
    result.content_length = content_length(param(envp, "CONTENT_LENGTH"));
    result.cookie = param(envp, "HTTP_COOKIE");
    result.client_id_header = param(envp, "HTTP_X_CLIENT_ID");
    result.host = param(envp, "HTTP_HOST");
    result.origin = param(envp, "HTTP_ORIGIN");
    result.fetch_site = param(envp, "HTTP_SEC_FETCH_SITE");
    result.request_id = param(envp, "REQUEST_ID");
    result.https = param(envp, "HTTPS") == "on";
    result.body = &*state_->body;
    return result;
}

void fcgi_connection::respond(const http_response& response) {
    std::string head = "Status: " + std::to_string(response.status) + " " +
                       status_text(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) {
        head += name + ": " + value + "\r\n";
    }
    head += "\r\n";

    auto* out = state_->request.out;
    FCGX_PutStr(head.data(), static_cast<int>(head.size()), out);
    FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()),
                out);

    // libfcgi closes a connection by shutting down its side and reading
    // until nginx hangs up, so that a close never resets a peer still
    // sending a body: a round trip that keeps this process idle after
    // every answer. Once the body has been read to its end there is
    // nothing left to reset, and the connection is closed at once.
    if (body_read_to_end(state_->request.in)) {
        FCGX_Detach(&state_->request);
    }
    FCGX_Finish_r(&state_->request);
}

int open_listen_socket(const std::string& path) {
    if (FCGX_Init() != 0) {
        throw std::runtime_error("cannot initialise libfcgi");
    }
    if (path.empty()) {
        // systemd's socket activation hands the socket over as fd 0.
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (getsockname(0, reinterpret_cast<sockaddr*>(&address), &length) !=
            0) {
            throw std::system_error(errno, std::generic_category(),
                                    "DOCSHIFT_SOCKET is empty and fd 0 is "
                                    "not a socket");
        }
        return 0;
    }

    // A socket file left by an earlier run would make bind() fail.
    ::unlink(path.c_str());
    const int fd = FCGX_OpenSocket(path.c_str(), 128);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot listen on '" + path + "'");
    }
    // Only the service's user and group (nginx) may connect.
    ::chmod(path.c_str(), 0660);
    return fd;
}

}  // namespace docshift

// libfcgi's side of a request: accepting it on the listening socket, reading
// its parameters and body, writing the response. fcgiapp.h stays in the
// .cpp file.
#pragma once

#include <memory>

#include "http.hpp"

namespace docshift {

class fcgi_connection {
public:
    // Serves requests arriving on the listening socket `listen_fd`.
    explicit fcgi_connection(int listen_fd);
    fcgi_connection(const fcgi_connection&) = delete;
    fcgi_connection& operator=(const fcgi_connection&) = delete;
    ~fcgi_connection();

    // Waits for the next request; false when accepting failed (for example
    // because a signal arrived).
    bool accept();

    // The current request's parameters; the body reads from the request.
    http_request request();

    // Sends the response and ends the request.
    void respond(const http_response& response);

private:
    struct state;
    std::unique_ptr<state> state_;
};

// Opens the FastCGI listening socket: a unix socket at `path`, or the
// socket systemd passed on fd 0 when `path` is empty. Throws
// std::system_error.
int open_listen_socket(const std::string& path);

}  // namespace docshift

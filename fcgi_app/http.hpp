// The HTTP request and response as the API sees them, independent of
// FastCGI, so the API can be driven by tests and fuzzers directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace Json {
class Value;
}

namespace docshift {

class api_error;

// Where a request body comes from; read() returns 0 at its end.
class body_reader {
public:
    virtual ~body_reader() = default;
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

struct http_request {
    std::string method;
    std::string path;  // decoded, without the query string
    std::string content_type;
    std::optional<std::int64_t> content_length;
    std::string cookie;            // the Cookie header
    std::string client_id_header;  // the X-Client-Id header
    std::string host;              // the Host header
    std::string origin;            // the Origin header, sent by browsers
    std::string fetch_site;        // the Sec-Fetch-Site header
    std::string request_id;        // set by nginx, for the logs
    bool https = false;
    body_reader* body = nullptr;
};

struct http_response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    void set_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
    }
};

http_response json_response(int status, const Json::Value& body);

// {"error": {"code": ..., "message": ...}} with the error's status.
http_response error_response(const api_error& error);

// The reason phrase of a status ("Created" for 201).
const char* status_text(int status);

}  // namespace docshift

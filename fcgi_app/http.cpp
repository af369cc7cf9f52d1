#include "http.hpp"

#include <json/json.h>

#include "api_error.hpp"
#include "json_text.hpp"

namespace docshift {

http_response json_response(int status, const Json::Value& body) {
    http_response response;
    response.status = status;
    response.set_header("Content-Type", "application/json; charset=utf-8");
    response.body = json_text(body) + "\n";
    return response;
}

http_response error_response(const api_error& error) {
    Json::Value body(Json::objectValue);
    body["error"]["code"] = error.code();
    body["error"]["message"] = error.what();
    return json_response(http_status(error.kind()), body);
}

const char* status_text(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 400:
            return "Bad Request";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Content Too Large";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Content";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Unknown";
    }
}

}  // namespace docshift

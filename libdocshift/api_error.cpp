#include "api_error.hpp"

namespace docshift {

int http_status(error_kind kind) {
    switch (kind) {
        case error_kind::malformed_request:
            return 400;
        case error_kind::forbidden:
            return 403;
        case error_kind::not_found:
            return 404;
        case error_kind::not_ready:
            return 409;
        case error_kind::too_large:
            return 413;
        case error_kind::unsupported_file:
            return 415;
        case error_kind::bad_option:
            return 422;
        case error_kind::too_many:
            return 429;
        case error_kind::unavailable:
            return 503;
        case error_kind::internal:
            return 500;
    }
    return 500;
}

}  // namespace docshift

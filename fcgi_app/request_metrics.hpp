// Request counters shared by every process of the pool: one anonymous
// shared mapping made before the fork, updated with atomic adds, so
// /metrics shows the whole pool whichever process answers.
#pragma once

#include <string>

#include "api_router.hpp"

namespace docshift {

class request_metrics {
public:
    // Maps the counters; call before the pool forks. Throws
    // std::system_error when the mapping fails.
    request_metrics();
    request_metrics(const request_metrics&) = delete;
    request_metrics& operator=(const request_metrics&) = delete;
    ~request_metrics();

    void record(endpoint target, int status) noexcept;

    // docshift_http_requests_total in Prometheus text format.
    std::string render() const;

private:
    struct table;
    table* table_;
};

}  // namespace docshift

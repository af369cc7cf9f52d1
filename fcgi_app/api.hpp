// The HTTP API of docshift: resolves the client, routes the request, runs
// the endpoint and turns every error into its JSON body and status.
#pragma once

#include <optional>

#include "config.hpp"
#include "http.hpp"
#include "pg.hpp"
#include "storage.hpp"

namespace docshift {

class request_metrics;
struct route;
struct resolved_client;

class api {
public:
    // `metrics`, when given, counts every answer and feeds /metrics.
    explicit api(const config& settings, request_metrics* metrics = nullptr);

    // Never throws: every failure becomes an error response.
    http_response handle(const http_request& request);

private:
    // Runs the endpoint; every error becomes its response.
    http_response answer(const http_request& request, const route& target,
                         const resolved_client& client);
    http_response dispatch(const http_request& request, const route& target,
                           const resolved_client& client);
    http_response conversions();
    http_response create_job(const http_request& request,
                             const resolved_client& client);
    http_response list_jobs(const resolved_client& client);
    http_response get_job(const route& target, const resolved_client& client);
    http_response download_job(const route& target,
                               const resolved_client& client);
    http_response delete_job(const route& target,
                             const resolved_client& client);
    http_response health();
    http_response metrics();

    // The database connection, opened on first use and again after it broke.
    pg_connection& db();

    const config& settings_;
    storage files_;
    request_metrics* metrics_;
    std::optional<pg_connection> db_;
};

// Whether a request that changes state comes from another site's page: an
// Origin header naming another host, or Sec-Fetch-Site saying so.
bool is_cross_site(const http_request& request);

// Throws api_error (forbidden, `cross_origin`) for such a request.
void check_same_origin(const http_request& request);

// The Content-Disposition value that makes a browser save `file_name`,
// keeping UTF-8 names intact (RFC 6266 with an ASCII fallback).
std::string attachment_disposition(std::string_view file_name);

}  // namespace docshift

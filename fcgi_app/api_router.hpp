// Maps a method and path to an API endpoint.
#pragma once

#include <string>
#include <string_view>

namespace docshift {

enum class endpoint {
    conversions,   // GET /api/conversions
    create_job,    // POST /api/jobs
    list_jobs,     // GET /api/jobs
    get_job,       // GET /api/jobs/{id}
    download_job,  // GET /api/jobs/{id}/download
    delete_job,    // DELETE /api/jobs/{id}
    health,        // GET /api/health
    metrics,       // GET /metrics, Prometheus text (nginx: local only)
    no_such_job,   // /api/jobs/{x} where x can name no job: not a UUID
    not_found,     // no such path
    bad_method,    // the path exists, the method does not
};

struct route {
    endpoint target = endpoint::not_found;
    std::string job_id;  // canonical lowercase, for the job endpoints
    std::string allow;   // for bad_method: the methods the path takes
    // False for /api/health and /metrics: probes and scrapes are nobody's
    // requests, so they neither read nor issue a client id.
    bool has_client = true;
};

// A job id in a path must be a well-formed UUID; anything else is a path
// that does not exist. HEAD reaches every endpoint GET does; nginx sends
// the headers of the answer without its body.
route match_route(std::string_view method, std::string_view path);

}  // namespace docshift

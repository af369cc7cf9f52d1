#include "api_router.hpp"

#include "uuid.hpp"

namespace docshift {

namespace {

route choose(std::string_view method,
             std::initializer_list<std::pair<const char*, endpoint>> allowed,
             std::string job_id = {}) {
    // HEAD is GET without the body, which nginx leaves out.
    const std::string_view asked = method == "HEAD" ? "GET" : method;
    std::string allow;
    for (const auto& [name, target] : allowed) {
        if (asked == name) {
            return {target, std::move(job_id), {}};
        }
        allow += allow.empty() ? "" : ", ";
        allow += name;
        allow += std::string_view(name) == "GET" ? ", HEAD" : "";
    }
    return {endpoint::bad_method, {}, std::move(allow)};
}

route without_client(route chosen) {
    chosen.has_client = false;
    return chosen;
}

}  // namespace

route match_route(std::string_view method, std::string_view path) {
    if (path == "/api/conversions") {
        return choose(method, {{"GET", endpoint::conversions}});
    }
    if (path == "/metrics") {
        return without_client(choose(method, {{"GET", endpoint::metrics}}));
    }
    if (path == "/api/health") {
        return without_client(choose(method, {{"GET", endpoint::health}}));
    }
    if (path == "/api/jobs") {
        return choose(method, {{"GET", endpoint::list_jobs},
                               {"POST", endpoint::create_job}});
    }

    constexpr std::string_view jobs_prefix = "/api/jobs/";
    if (!path.starts_with(jobs_prefix)) {
        return {};
    }
    auto rest = path.substr(jobs_prefix.size());
    const auto slash = rest.find('/');
    const auto id = canonical_uuid(rest.substr(0, slash));
    const bool job_path =
        slash == std::string_view::npos || rest.substr(slash) == "/download";
    if (!id) {
        // Answered like a job that does not exist, which it is.
        const bool names_something = !rest.empty() && slash != 0;
        return {job_path && names_something ? endpoint::no_such_job
                                            : endpoint::not_found,
                {},
                {}};
    }
    if (slash == std::string_view::npos) {
        return choose(
            method,
            {{"GET", endpoint::get_job}, {"DELETE", endpoint::delete_job}},
            *id);
    }
    if (rest.substr(slash) == "/download") {
        return choose(method, {{"GET", endpoint::download_job}}, *id);
    }
    return {};
}

}  // namespace docshift

#include "api.hpp"

#include <json/json.h>

#include "api_error.hpp"
#include "api_router.hpp"
#include "client_id.hpp"
#include "conversion_catalog.hpp"
#include "job_metrics.hpp"
#include "job_store.hpp"
#include "log.hpp"
#include "multipart_reader.hpp"
#include "request_metrics.hpp"
#include "upload.hpp"
#include "uuid.hpp"

namespace docshift {

namespace {

// When a client told to wait (429, 503) should try again: long enough for
// a conversion to finish or a database to restart.
constexpr const char* retry_after_seconds = "10";

// When to ask again for the result of a conversion still running: most
// finish within seconds.
constexpr const char* not_ready_retry_seconds = "2";

api_error job_not_found() {
    return api_error(error_kind::not_found, "job_not_found",
                     "no such job: it may have expired or been deleted");
}

std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const unsigned char c : text) {
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') ||
                           std::string_view("-._~").find(
                               static_cast<char>(c)) != std::string_view::npos;
        if (plain) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += hex[c >> 4];
            encoded += hex[c & 0x0F];
        }
    }
    return encoded;
}

// The name with every byte a plain quoted-string cannot carry safely (non
// ASCII, quotes, backslashes, controls) replaced by '_'.
std::string ascii_fallback(std::string_view text) {
    std::string fallback;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            // One '_' per UTF-8 character, not per byte.
            while (i + 1 < text.size() &&
                   (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
                ++i;
            }
            fallback += '_';
        } else if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
            fallback += '_';
        } else {
            fallback += static_cast<char>(c);
        }
    }
    return fallback;
}

// The id goes back in X-Client-Id, and in the cookie to a browser that
// is new or has just created a job with it: a fresh Max-Age keeps the
// cookie at least as long as the newest job it owns.
void hand_over_client_id(http_response& response, const route& target,
                         const resolved_client& client, bool https) {
    if (client.id.empty()) {
        return;  // a probe or a scrape, not a client
    }
    response.set_header("X-Client-Id", client.id);

    const bool created_job =
        target.target == endpoint::create_job && response.status == 201;
    if (client.issued || (client.from_cookie && created_job)) {
        response.set_header("Set-Cookie", client_cookie(client.id, https));
    }
}

}  // namespace

bool is_cross_site(const http_request& request) {
    // Reads are harmless to answer: the browser keeps another site from
    // seeing them. Only changes need the check.
    if (request.method == "GET" || request.method == "HEAD") {
        return false;
    }
    if (request.fetch_site == "cross-site") {
        return true;
    }
    if (request.origin.empty()) {
        return false;  // not a browser, or a same-origin form of old
    }
    // Origin is scheme://host[:port]; Host is host[:port] as nginx saw it.
    const auto scheme_end = request.origin.find("://");
    return scheme_end == std::string::npos ||
           request.origin.substr(scheme_end + 3) != request.host;
}

void check_same_origin(const http_request& request) {
    if (is_cross_site(request)) {
        throw api_error(error_kind::forbidden, "cross_origin",
                        "requests that change jobs must come from this "
                        "site's own page");
    }
}

std::string attachment_disposition(std::string_view file_name) {
    return "attachment; filename=\"" + ascii_fallback(file_name) +
           "\"; filename*=UTF-8''" + percent_encode(file_name);
}

api::api(const config& settings, request_metrics* metrics)
    : settings_(settings), files_(settings.storage_dir), metrics_(metrics) {}

pg_connection& api::db() {
    if (db_ && !db_->alive()) {
        db_.reset();
    }
    if (!db_) {
        db_.emplace(settings_.database);
    }
    return *db_;
}

http_response api::handle(const http_request& request) {
    const auto target = match_route(request.method, request.path);
    const auto client =
        target.has_client
            ? resolve_client_id(request.client_id_header, request.cookie)
            : resolved_client{};

    http_response response = answer(request, target, client);
    if (metrics_ != nullptr) {
        metrics_->record(target.target, response.status);
    }
    response.set_header("Cache-Control", "no-store");
    hand_over_client_id(response, target, client, request.https);
    log::info("request",
              {{"method", request.method},
               {"path", request.path},
               {"status", response.status},
               {"client", client.id.empty() ? "-" : log::short_id(client.id)}});
    return response;
}

http_response api::answer(const http_request& request, const route& target,
                          const resolved_client& client) {
    try {
        return dispatch(request, target, client);
    } catch (const api_error& e) {
        auto response = error_response(e);
        if (e.kind() == error_kind::too_many ||
            e.kind() == error_kind::unavailable) {
            response.set_header("Retry-After", retry_after_seconds);
        } else if (e.code() == "not_ready") {
            response.set_header("Retry-After", not_ready_retry_seconds);
        }
        return response;
    } catch (const database_unavailable& e) {
        log::error("database unavailable", {{"error", e.what()}});
        db_.reset();
        auto response = error_response(
            api_error(error_kind::unavailable, "database_unavailable",
                      "the service cannot reach its database right now; "
                      "try again in a minute"));
        response.set_header("Retry-After", retry_after_seconds);
        return response;
    } catch (const std::exception& e) {
        log::error("request failed", {{"method", request.method},
                                      {"path", request.path},
                                      {"error", e.what()}});
        return error_response(
            api_error(error_kind::internal, "internal_error",
                      "something went wrong on our side; try again, and "
                      "if it keeps happening tell the administrator"));
    }
}

http_response api::dispatch(const http_request& request, const route& target,
                            const resolved_client& client) {
    check_same_origin(request);
    switch (target.target) {
        case endpoint::conversions:
            return conversions();
        case endpoint::create_job:
            return create_job(request, client);
        case endpoint::list_jobs:
            return list_jobs(client);
        case endpoint::get_job:
            return get_job(target, client);
        case endpoint::download_job:
            return download_job(target, client);
        case endpoint::delete_job:
            return delete_job(target, client);
        case endpoint::health:
            return health();
        case endpoint::metrics:
            return metrics();
        case endpoint::bad_method: {
            auto response = error_response(
                api_error(error_kind::malformed_request, "method_not_allowed",
                          request.method.substr(0, 16) +
                              " is not allowed here; use " + target.allow));
            response.status = 405;
            response.set_header("Allow", target.allow);
            return response;
        }
        case endpoint::no_such_job:
            throw job_not_found();
        case endpoint::not_found:
            break;
    }
    throw api_error(error_kind::not_found, "not_found",
                    "there is no API endpoint at this path");
}

http_response api::conversions() {
    Json::Value list(Json::arrayValue);
    for (const auto& conv : conversion_catalog()) {
        list.append(to_json(conv));
    }
    Json::Value body(Json::objectValue);
    body["conversions"] = list;
    body["max_upload_bytes"] = Json::Int64(settings_.max_upload_bytes);
    return json_response(200, body);
}

http_response api::create_job(const http_request& request,
                              const resolved_client& client) {
    if (request.content_length &&
        *request.content_length > settings_.max_upload_bytes) {
        throw api_error(error_kind::too_large, "request_too_large",
                        "the upload is larger than the limit of " +
                            std::to_string(settings_.max_upload_bytes) +
                            " bytes");
    }
    const auto boundary = multipart_reader::boundary_of(request.content_type);
    if (!boundary || request.body == nullptr) {
        throw api_error(error_kind::malformed_request, "not_multipart",
                        "send the file as multipart/form-data");
    }
    const queue_limits limits{settings_.max_active_jobs,
                              settings_.max_queued_jobs};
    check_queue_limits(db(), client.id, limits);

    const std::string job_id = new_uuid();
    validated_upload upload;
    try {
        upload = receive_upload(*request.body, *boundary,
                                files_.incoming_dir(job_id),
                                {settings_.max_upload_bytes});
        files_.accept_upload(client.id, job_id);
        const job created = insert_job(db(),
                                       {job_id, client.id, upload.chosen->id,
                                        upload.inputs, upload.options},
                                       limits);
        log::info("job queued", {{"job", job_id},
                                 {"conversion", created.conversion},
                                 {"bytes", created.inputs.front().size}});

        auto response = json_response(201, to_json(created));
        response.set_header("Location", "/api/jobs/" + job_id);
        return response;
    } catch (...) {
        files_.remove_job(client.id, job_id);
        throw;
    }
}

http_response api::list_jobs(const resolved_client& client) {
    Json::Value list(Json::arrayValue);
    for (const auto& j : docshift::list_jobs(db(), client.id)) {
        list.append(to_json(j));
    }
    Json::Value body(Json::objectValue);
    body["jobs"] = list;
    return json_response(200, body);
}

http_response api::get_job(const route& target, const resolved_client& client) {
    const auto found = find_job(db(), client.id, target.job_id);
    if (!found) {
        throw job_not_found();
    }
    return json_response(200, to_json(*found));
}

http_response api::download_job(const route& target,
                                const resolved_client& client) {
    const auto found = find_job(db(), client.id, target.job_id);
    if (!found) {
        throw job_not_found();
    }
    if (found->status == job_status::failed) {
        throw api_error(error_kind::not_ready, "job_failed",
                        "this conversion failed, so there is nothing to "
                        "download: " +
                            found->error->message);
    }
    if (found->status != job_status::succeeded || !found->output_name) {
        throw api_error(error_kind::not_ready, "not_ready",
                        "the conversion has not finished yet; try again "
                        "when its status is succeeded");
    }

    const conversion* conv = find_conversion(found->conversion);
    if (conv == nullptr) {
        throw std::logic_error("job " + found->id +
                               " has unknown conversion '" + found->conversion +
                               "'");
    }
    // Options can change the result's type (JPEG pages, or a zip of them);
    // the name the worker recorded carries the extension it wrote.
    const auto extension = file_extension(*found->output_name);
    http_response response;
    response.set_header("Content-Type", media_type_of(extension));
    response.set_header("Content-Disposition",
                        attachment_disposition(*found->output_name));
    response.set_header(
        "X-Accel-Redirect",
        "/_files/" + storage::output_path(client.id, found->id, extension));
    return response;
}

http_response api::delete_job(const route& target,
                              const resolved_client& client) {
    const auto deleted = docshift::delete_job(db(), client.id, target.job_id);
    if (!deleted) {
        throw job_not_found();
    }
    files_.remove_job(client.id, deleted->id);
    log::info("job deleted", {{"job", deleted->id}});

    http_response response;
    response.status = 204;
    return response;
}

http_response api::metrics() {
    http_response response;
    response.set_header("Content-Type", "text/plain; version=0.0.4");
    response.body = render_job_metrics(db());
    if (metrics_ != nullptr) {
        response.body += metrics_->render();
    }
    return response;
}

http_response api::health() {
    db().exec("SELECT 1");
    Json::Value body(Json::objectValue);
    body["status"] = "ok";
    return json_response(200, body);
}

}  // namespace docshift

// Which method and path reach which endpoint; everything else is a 404 or
// a 405.
#include <boost/test/unit_test.hpp>
#include <optional>

#include "api.hpp"
#include "api_error.hpp"
#include "api_router.hpp"
#include "config.hpp"

using namespace docshift;

namespace {

constexpr const char* job_id = "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f";

endpoint target(std::string_view method, const std::string& path) {
    return match_route(method, path).target;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(api_router)

BOOST_AUTO_TEST_CASE(routes_every_endpoint) {
    const std::string job = std::string("/api/jobs/") + job_id;
    BOOST_TEST((target("GET", "/api/conversions") == endpoint::conversions));
    BOOST_TEST((target("POST", "/api/jobs") == endpoint::create_job));
    BOOST_TEST((target("GET", "/api/jobs") == endpoint::list_jobs));
    BOOST_TEST((target("GET", job) == endpoint::get_job));
    BOOST_TEST((target("DELETE", job) == endpoint::delete_job));
    BOOST_TEST((target("GET", job + "/download") == endpoint::download_job));
    BOOST_TEST((target("GET", "/api/health") == endpoint::health));
}

BOOST_AUTO_TEST_CASE(canonicalises_the_job_id) {
    const auto r =
        match_route("GET", "/api/jobs/3F2B8C1E-9D4A-4B7E-8C2F-1A2B3C4D5E6F");
    BOOST_TEST((r.target == endpoint::get_job));
    BOOST_TEST(r.job_id == job_id);
}

BOOST_AUTO_TEST_CASE(job_paths_with_ids_that_name_no_job_are_no_such_job) {
    const std::string paths[] = {
        "/api/jobs/not-a-uuid",
        "/api/jobs/' OR '1'='1",
        "/api/jobs/3F2B8C1E-9D4A-4B7E-8C2F-1A2B3C4D5E6/download",
    };
    for (const auto& path : paths) {
        BOOST_TEST((target("GET", path) == endpoint::no_such_job), path);
    }
    BOOST_TEST((target("DELETE", "/api/jobs/x") == endpoint::no_such_job));
}

BOOST_AUTO_TEST_CASE(unknown_paths_are_not_found) {
    const std::string paths[] = {
        "/api/",
        "/api/jobs/",
        "/api/jobs/../../etc/passwd",
        std::string("/api/jobs/") + job_id + "/",
        std::string("/api/jobs/") + job_id + "/download/x",
        std::string("/api/jobs/") + job_id + "/output.pdf",
        "/api/conversions/x",
        "/other",
    };
    for (const auto& path : paths) {
        BOOST_TEST((target("GET", path) == endpoint::not_found), path);
    }
}

BOOST_AUTO_TEST_CASE(wrong_method_lists_the_allowed_ones) {
    const std::string job = std::string("/api/jobs/") + job_id;
    BOOST_TEST(match_route("PUT", "/api/jobs").allow == "GET, HEAD, POST");
    BOOST_TEST(match_route("PUT", job).allow == "GET, HEAD, DELETE");
    BOOST_TEST(match_route("POST", "/api/health").allow == "GET, HEAD");
    BOOST_TEST((target("PUT", "/api/jobs") == endpoint::bad_method));
    BOOST_TEST((target("POST", "/api/health") == endpoint::bad_method));
    BOOST_TEST((target("POST", job + "/download") == endpoint::bad_method));
}

BOOST_AUTO_TEST_CASE(head_reaches_every_get_endpoint) {
    const std::string job = std::string("/api/jobs/") + job_id;
    BOOST_TEST((target("HEAD", "/api/health") == endpoint::health));
    BOOST_TEST((target("HEAD", "/metrics") == endpoint::metrics));
    BOOST_TEST((target("HEAD", "/api/conversions") == endpoint::conversions));
    BOOST_TEST((target("HEAD", "/api/jobs") == endpoint::list_jobs));
    BOOST_TEST((target("HEAD", job) == endpoint::get_job));
    BOOST_TEST((target("HEAD", job + "/download") == endpoint::download_job));
    BOOST_TEST((target("head", "/api/health") == endpoint::bad_method));
}

BOOST_AUTO_TEST_CASE(health_and_metrics_take_no_client_id) {
    BOOST_TEST(!match_route("GET", "/api/health").has_client);
    BOOST_TEST(!match_route("HEAD", "/api/health").has_client);
    BOOST_TEST(!match_route("POST", "/api/health").has_client);
    BOOST_TEST(!match_route("GET", "/metrics").has_client);
    BOOST_TEST(match_route("GET", "/api/conversions").has_client);
    BOOST_TEST(match_route("POST", "/api/jobs").has_client);
    BOOST_TEST(match_route("GET", "/api/nothing").has_client);
}

BOOST_AUTO_TEST_CASE(attachment_keeps_a_utf8_name) {
    BOOST_TEST(attachment_disposition("Relatório final ção.pdf") ==
               "attachment; filename=\"Relat_rio final __o.pdf\"; "
               "filename*=UTF-8''Relat%C3%B3rio%20final%20%C3%A7%C3%A3o.pdf");
    BOOST_TEST(attachment_disposition("a \"b\"\\c.pdf") ==
               "attachment; filename=\"a _b__c.pdf\"; "
               "filename*=UTF-8''a%20%22b%22%5Cc.pdf");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(api_answers)

namespace {

// The API with a database that refuses every connection at once: enough
// for the answers that need no rows.
struct api_without_database {
    api_without_database() : service(settings()) {}

    static const config& settings() {
        static const config value = [] {
            config c;
            c.database = "host=/nonexistent/docshift dbname=docshift";
            c.storage_dir = "/nonexistent/docshift/storage";
            c.max_upload_bytes = 1024;
            return c;
        }();
        return value;
    }

    http_response handle(std::string method, std::string path,
                         std::string cookie = "") {
        http_request request;
        request.method = std::move(method);
        request.path = std::move(path);
        request.cookie = std::move(cookie);
        return service.handle(request);
    }

    docshift::api service;
};

std::optional<std::string> header(const http_response& response,
                                  std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(head_answers_like_get, api_without_database) {
    const auto get = handle("GET", "/api/conversions");
    const auto head = handle("HEAD", "/api/conversions");

    BOOST_TEST(head.status == 200);
    BOOST_TEST(head.body == get.body);
    BOOST_TEST(header(head, "Content-Type").value() ==
               "application/json; charset=utf-8");
}

BOOST_FIXTURE_TEST_CASE(method_not_allowed_names_head_in_allow,
                        api_without_database) {
    const auto response = handle("DELETE", "/api/conversions");

    BOOST_TEST(response.status == 405);
    BOOST_TEST(header(response, "Allow").value() == "GET, HEAD");
}

BOOST_FIXTURE_TEST_CASE(health_probe_gets_no_client_id, api_without_database) {
    for (const auto* method : {"GET", "HEAD"}) {
        const auto response = handle(method, "/api/health");

        BOOST_TEST(response.status == 503, method);
        BOOST_TEST(!header(response, "Set-Cookie").has_value(), method);
        BOOST_TEST(!header(response, "X-Client-Id").has_value(), method);
    }
    const auto scrape = handle("GET", "/metrics");
    BOOST_TEST(!header(scrape, "Set-Cookie").has_value());
    BOOST_TEST(!header(scrape, "X-Client-Id").has_value());
}

BOOST_FIXTURE_TEST_CASE(new_browser_gets_its_cookie_from_the_catalog,
                        api_without_database) {
    const auto response = handle("GET", "/api/conversions");

    const auto id = header(response, "X-Client-Id").value();
    BOOST_TEST(header(response, "Set-Cookie").value() ==
               "client_id=" + id +
                   "; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax");
}

BOOST_FIXTURE_TEST_CASE(known_browser_gets_no_new_cookie_from_a_read,
                        api_without_database) {
    const auto response =
        handle("GET", "/api/conversions", std::string("client_id=") + job_id);

    BOOST_TEST(header(response, "X-Client-Id").value() == job_id);
    BOOST_TEST(!header(response, "Set-Cookie").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(same_origin)

namespace {

http_request request_from(std::string method, std::string origin,
                          std::string fetch_site = "") {
    http_request request;
    request.method = std::move(method);
    request.host = "convert.example.org";
    request.origin = std::move(origin);
    request.fetch_site = std::move(fetch_site);
    return request;
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_site_changes_are_allowed) {
    BOOST_TEST(
        !is_cross_site(request_from("POST", "https://convert.example.org")));
    BOOST_TEST(!is_cross_site(request_from("DELETE", "", "same-origin")));
    BOOST_TEST(!is_cross_site(request_from("POST", "")));
}

BOOST_AUTO_TEST_CASE(changes_from_another_site_are_refused) {
    BOOST_TEST(is_cross_site(request_from("POST", "https://evil.example")));
    BOOST_TEST(is_cross_site(
        request_from("DELETE", "https://convert.example.org.evil.example")));
    BOOST_TEST(is_cross_site(request_from("POST", "null")));
    BOOST_TEST(is_cross_site(request_from("POST", "", "cross-site")));
    BOOST_CHECK_EXCEPTION(
        check_same_origin(request_from("POST", "https://evil.example")),
        api_error, [](const api_error& e) {
            return e.code() == "cross_origin" && http_status(e.kind()) == 403;
        });
}

BOOST_AUTO_TEST_CASE(reads_from_another_site_are_answered) {
    BOOST_TEST(!is_cross_site(
        request_from("GET", "https://evil.example", "cross-site")));
}

BOOST_AUTO_TEST_SUITE_END()

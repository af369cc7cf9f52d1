// Errors map to HTTP statuses in exactly one place, and reach the client as
// the JSON error body.
#include <json/json.h>

#include <boost/test/unit_test.hpp>

#include "api_error.hpp"
#include "http.hpp"

using namespace docshift;

BOOST_AUTO_TEST_SUITE(api_errors)

BOOST_AUTO_TEST_CASE(maps_every_kind_to_its_status) {
    BOOST_TEST(http_status(error_kind::malformed_request) == 400);
    BOOST_TEST(http_status(error_kind::forbidden) == 403);
    BOOST_TEST(http_status(error_kind::not_found) == 404);
    BOOST_TEST(http_status(error_kind::not_ready) == 409);
    BOOST_TEST(http_status(error_kind::too_large) == 413);
    BOOST_TEST(http_status(error_kind::unsupported_file) == 415);
    BOOST_TEST(http_status(error_kind::bad_option) == 422);
    BOOST_TEST(http_status(error_kind::too_many) == 429);
    BOOST_TEST(http_status(error_kind::unavailable) == 503);
    BOOST_TEST(http_status(error_kind::internal) == 500);
}

BOOST_AUTO_TEST_CASE(error_response_carries_code_and_message) {
    const api_error error(error_kind::unsupported_file, "type_mismatch",
                          "'a.docx' is a PNG image");
    const auto response = error_response(error);

    BOOST_TEST(response.status == 415);
    Json::Value body;
    std::istringstream in(response.body);
    in >> body;
    BOOST_TEST(body["error"]["code"].asString() == "type_mismatch");
    BOOST_TEST(body["error"]["message"].asString() ==
               "'a.docx' is a PNG image");
    BOOST_TEST(body.getMemberNames().size() == 1u);
}

BOOST_AUTO_TEST_CASE(json_keeps_utf8_unescaped) {
    Json::Value body(Json::objectValue);
    body["name"] = "Relatório final ção.pdf";
    const auto response = json_response(200, body);
    BOOST_TEST(response.body == "{\"name\":\"Relatório final ção.pdf\"}\n");
    BOOST_TEST(response.headers.front().second ==
               "application/json; charset=utf-8");
}

BOOST_AUTO_TEST_SUITE_END()

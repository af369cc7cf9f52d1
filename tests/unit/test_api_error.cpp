// Errors map to HTTP statuses in exactly one place, and reach the client as
// the JSON error body.
#include <json/json.h>

#include <boost/test/unit_test.hpp>

#include "api_error.hpp"
#include "http.hpp"
#include "json_text.hpp"
#include "utf8.hpp"

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

BOOST_AUTO_TEST_CASE(message_shows_invalid_utf8_as_replacement_characters) {
    const api_error error(error_kind::malformed_request, "unknown_conversion",
                          "'\xff\xfe' and '\xc3\x28' and '\xed\xa0\x80'");

    BOOST_TEST(std::string(error.what()) ==
               "'\uFFFD\uFFFD' and '\uFFFD(' and '\uFFFD\uFFFD\uFFFD'");
}

BOOST_AUTO_TEST_CASE(message_keeps_what_follows_a_nul) {
    const std::string sent("pdf_to_text\0", 12);
    const api_error error(error_kind::malformed_request, "unknown_conversion",
                          "'" + sent + "' is not a conversion docshift offers");

    BOOST_TEST(std::string(error.what()) ==
               "'pdf_to_text\\u0000' is not a conversion docshift offers");
}

BOOST_AUTO_TEST_CASE(message_shows_control_characters_escaped) {
    const api_error error(error_kind::malformed_request, "unknown_conversion",
                          "'a\r\nb\tc\x1b[31m\x7f\u0085' é ✓");

    BOOST_TEST(std::string(error.what()) ==
               "'a\\u000d\\u000ab\\u0009c\\u001b[31m\\u007f\\u0085' é ✓");
}

BOOST_AUTO_TEST_CASE(error_body_is_utf8_json_whatever_the_message_holds) {
    const std::string sent("\xff\xfe\0\xc3\x28", 5);
    const auto response = error_response(
        api_error(error_kind::malformed_request, "unknown_conversion",
                  "'" + sent + "' is not a conversion docshift offers"));

    BOOST_TEST(is_utf8(response.body));
    const auto body = parse_json_text(response.body, "error body");
    BOOST_TEST(body["error"]["message"].asString() ==
               "'\uFFFD\uFFFD\\u0000\uFFFD(' is not a conversion docshift "
               "offers");
}

BOOST_AUTO_TEST_CASE(quoted_value_shortens_long_values_between_characters) {
    BOOST_TEST(quoted_value("pdf_to_text") == "'pdf_to_text'");
    BOOST_TEST(quoted_value(std::string(64, 'x')) ==
               "'" + std::string(64, 'x') + "'");
    BOOST_TEST(quoted_value(std::string(65, 'x')) ==
               "'" + std::string(64, 'x') + "...'");
    // 63 bytes, then a 2-byte character that a cut at 64 would split.
    BOOST_TEST(quoted_value(std::string(63, 'x') + "éé") ==
               "'" + std::string(63, 'x') + "...'");
    BOOST_TEST(quoted_value("ab✓cd", 3) == "'ab...'");
}

BOOST_AUTO_TEST_CASE(json_text_replaces_invalid_utf8_in_strings) {
    Json::Value body(Json::objectValue);
    body["name"] = std::string("a\xc3\x28\xff\0b", 6);

    BOOST_TEST(json_text(body) == "{\"name\":\"a\uFFFD(\uFFFD\\u0000b\"}");
}

BOOST_AUTO_TEST_CASE(valid_utf8_keeps_good_text_and_replaces_bad_bytes) {
    BOOST_TEST(valid_utf8("Relatório ✓ 報告 😀") == "Relatório ✓ 報告 😀");
    BOOST_TEST(valid_utf8("\xc0\xaf") == "\uFFFD\uFFFD");  // overlong '/'
    BOOST_TEST(valid_utf8("\xe2\x82") == "\uFFFD\uFFFD");  // cut short
    BOOST_TEST(valid_utf8("\xf4\x90\x80\x80") ==
               "\uFFFD\uFFFD\uFFFD\uFFFD");  // past U+10FFFF
}

BOOST_AUTO_TEST_SUITE_END()

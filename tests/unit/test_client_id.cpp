// The client id rules: which ids are trusted, which are replaced, and the
// cookie that carries a new one.
#include <boost/test/unit_test.hpp>
#include <set>

#include "client_id.hpp"

using namespace docshift;

namespace {

constexpr const char* valid_id = "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f";
constexpr const char* other_id = "0c9e5a77-1b2c-4d3e-9f40-5a6b7c8d9e0f";

}  // namespace

BOOST_AUTO_TEST_SUITE(client_id)

BOOST_AUTO_TEST_CASE(accepts_a_v4_id_and_lowercases_it) {
    BOOST_TEST(parse_client_id(valid_id).value() == valid_id);
    BOOST_TEST(
        parse_client_id("3F2B8C1E-9D4A-4B7E-8C2F-1A2B3C4D5E6F").value() ==
        valid_id);
}

BOOST_AUTO_TEST_CASE(rejects_malformed_ids) {
    const std::string_view bad[] = {
        "",
        "not-a-uuid",
        "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6",    // one digit short
        "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f0",  // one digit long
        "3f2b8c1e9d4a4b7e8c2f1a2b3c4d5e6f",       // no dashes
        "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6g",   // not hex
        "{3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f}",
        "' OR 1=1 --",
        "../../../../etc/passwd",
    };
    for (const auto text : bad) {
        BOOST_TEST(!parse_client_id(text).has_value(), "accepted " << text);
    }
    const std::string with_nul("3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6\0", 36);
    BOOST_TEST(!parse_client_id(with_nul).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_uuids_of_other_versions_and_variants) {
    // Version 1 (time based) and version 7.
    BOOST_TEST(!parse_client_id("3f2b8c1e-9d4a-1b7e-8c2f-1a2b3c4d5e6f"));
    BOOST_TEST(!parse_client_id("3f2b8c1e-9d4a-7b7e-8c2f-1a2b3c4d5e6f"));
    // Version 4 digit but the NCS and Microsoft variants.
    BOOST_TEST(!parse_client_id("3f2b8c1e-9d4a-4b7e-0c2f-1a2b3c4d5e6f"));
    BOOST_TEST(!parse_client_id("3f2b8c1e-9d4a-4b7e-cc2f-1a2b3c4d5e6f"));
    // The nil UUID.
    BOOST_TEST(!parse_client_id("00000000-0000-0000-0000-000000000000"));
}

BOOST_AUTO_TEST_CASE(new_ids_are_valid_and_distinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto id = new_client_id();
        BOOST_TEST(parse_client_id(id).value() == id);
        seen.insert(id);
    }
    BOOST_TEST(seen.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(finds_a_cookie_among_others) {
    const auto header =
        std::string("theme=dark; client_id=") + valid_id + ";  lang=pt-BR";
    BOOST_TEST(find_cookie(header, "client_id").value() == valid_id);
    BOOST_TEST(find_cookie(header, "lang").value() == "pt-BR");
    BOOST_TEST(!find_cookie(header, "client").has_value());
    BOOST_TEST(!find_cookie("", "client_id").has_value());
    BOOST_TEST(find_cookie("client_id=\"abc\"", "client_id").value() == "abc");
}

BOOST_AUTO_TEST_CASE(header_wins_over_cookie) {
    const auto cookie = std::string("client_id=") + other_id;
    const auto client = resolve_client_id(valid_id, cookie);
    BOOST_TEST(client.id == valid_id);
    BOOST_TEST(!client.issued);
    BOOST_TEST(!client.from_cookie);
}

BOOST_AUTO_TEST_CASE(valid_cookie_is_kept) {
    const auto client =
        resolve_client_id("", std::string("client_id=") + valid_id);
    BOOST_TEST(client.id == valid_id);
    BOOST_TEST(!client.issued);
    BOOST_TEST(client.from_cookie);
}

BOOST_AUTO_TEST_CASE(malformed_cookie_is_replaced_not_echoed) {
    const auto client = resolve_client_id("", "client_id=evil<script>");
    BOOST_TEST(client.issued);
    BOOST_TEST(client.id != "evil<script>");
    BOOST_TEST(parse_client_id(client.id).has_value());
}

BOOST_AUTO_TEST_CASE(malformed_header_falls_back_to_cookie) {
    const auto client =
        resolve_client_id("nope", std::string("client_id=") + valid_id);
    BOOST_TEST(client.id == valid_id);
    BOOST_TEST(!client.issued);
}

BOOST_AUTO_TEST_CASE(no_id_at_all_issues_a_new_one) {
    const auto first = resolve_client_id("", "");
    const auto second = resolve_client_id("", "");
    BOOST_TEST(first.issued);
    BOOST_TEST(!first.from_cookie);
    BOOST_TEST(first.id != second.id);
}

BOOST_AUTO_TEST_CASE(cookie_has_the_right_flags) {
    BOOST_TEST(client_cookie(valid_id, false) ==
               std::string("client_id=") + valid_id +
                   "; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax");
    BOOST_TEST(client_cookie(valid_id, true) ==
               std::string("client_id=") + valid_id +
                   "; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax; Secure");
}

BOOST_AUTO_TEST_SUITE_END()

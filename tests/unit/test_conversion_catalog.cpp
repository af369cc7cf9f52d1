// The catalog's entries, its checks of a user's file against a conversion,
// and the JSON the API shows for each entry.
#include <json/json.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "api_error.hpp"
#include "conversion_catalog.hpp"

using docshift::file_format;
using docshift::sniffed_file;

namespace {

constexpr std::int64_t fifty_mib = 50 * 1024 * 1024;

const docshift::conversion& conversion_named(std::string_view id) {
    const auto* conv = docshift::find_conversion(id);
    BOOST_TEST_REQUIRE(conv != nullptr, "no conversion " << id);
    return *conv;
}

// The api_error `action` throws; fails the test when it throws none.
docshift::api_error thrown_by(const std::function<void()>& action) {
    try {
        action();
    } catch (const docshift::api_error& e) {
        return e;
    }
    BOOST_FAIL("no api_error was thrown");
    throw std::logic_error("unreachable");
}

docshift::api_error extension_error(std::string_view id,
                                    std::string_view file_name) {
    return thrown_by([&] {
        docshift::check_extension_fits(conversion_named(id), file_name);
    });
}

docshift::api_error content_error(std::string_view id,
                                  std::string_view file_name, std::int64_t size,
                                  const sniffed_file& sniffed) {
    return thrown_by([&] {
        docshift::check_content_fits(conversion_named(id), file_name, size,
                                     sniffed);
    });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(conversion_catalog)

BOOST_AUTO_TEST_CASE(lists_conversions_in_api_order) {
    const auto catalog = docshift::conversion_catalog();
    BOOST_TEST_REQUIRE(catalog.size() == 3u);
    BOOST_TEST(catalog[0].id == "document_to_pdf");
    BOOST_TEST(catalog[1].id == "spreadsheet_to_pdf");
    BOOST_TEST(catalog[2].id == "presentation_to_pdf");
}

BOOST_AUTO_TEST_CASE(office_conversions_take_one_file_up_to_50_mib) {
    for (const auto& conv : docshift::conversion_catalog()) {
        BOOST_TEST_CONTEXT(conv.id) {
            BOOST_TEST(conv.max_files == 1);
            BOOST_TEST(conv.max_file_bytes == fifty_mib);
            BOOST_TEST((conv.engine == docshift::engine_kind::office));
            BOOST_TEST(conv.output_extension == "pdf");
            BOOST_TEST(conv.output_media_type == "application/pdf");
            BOOST_TEST(conv.media_types.size() == conv.extensions.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(finds_conversion_by_id) {
    const auto* conv = docshift::find_conversion("spreadsheet_to_pdf");
    BOOST_TEST_REQUIRE(conv != nullptr);
    BOOST_TEST(conv->label == "Spreadsheet to PDF");
    BOOST_TEST(conv->extensions ==
                   (std::vector<std::string>{"xlsx", "xls", "ods", "csv"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(finds_no_conversion_for_unknown_id) {
    BOOST_TEST(docshift::find_conversion("image_to_pdf") == nullptr);
    BOOST_TEST(docshift::find_conversion("") == nullptr);
    BOOST_TEST(docshift::find_conversion("Document_To_PDF") == nullptr);
}

BOOST_AUTO_TEST_CASE(extracts_lowercase_extension) {
    BOOST_TEST(docshift::file_extension("Report.DOCX") == "docx");
    BOOST_TEST(docshift::file_extension("backup.tar.gz") == "gz");
    BOOST_TEST(docshift::file_extension(".config.json") == "json");
    BOOST_TEST(docshift::file_extension("C:\\Users\\ana\\Q3.Xlsx") == "xlsx");
}

BOOST_AUTO_TEST_CASE(finds_no_extension_where_there_is_none) {
    BOOST_TEST(docshift::file_extension("README") == "");
    BOOST_TEST(docshift::file_extension(".bashrc") == "");
    BOOST_TEST(docshift::file_extension("draft.") == "");
    BOOST_TEST(docshift::file_extension("v1.2/notes") == "");
    BOOST_TEST(docshift::file_extension("") == "");
}

BOOST_AUTO_TEST_CASE(accepts_listed_extension_in_any_case) {
    const auto& conv = conversion_named("document_to_pdf");
    BOOST_CHECK_NO_THROW(docshift::check_extension_fits(conv, "Report.DOCX"));
    BOOST_CHECK_NO_THROW(docshift::check_extension_fits(conv, "memo.rtf"));
}

BOOST_AUTO_TEST_CASE(rejects_png_for_document_conversion) {
    const auto e = extension_error("document_to_pdf", "photo.png");
    BOOST_TEST(e.code() == "unsupported_extension");
    BOOST_TEST(docshift::http_status(e.kind()) == 415);
    BOOST_TEST(std::string(e.what()) ==
               "'photo.png' is a .png file; Document to PDF accepts .docx, "
               ".doc, .odt, .rtf");
}

BOOST_AUTO_TEST_CASE(rejects_file_name_without_extension) {
    const auto e = extension_error("presentation_to_pdf", "slides");
    BOOST_TEST(e.code() == "unsupported_extension");
    BOOST_TEST(docshift::http_status(e.kind()) == 415);
    BOOST_TEST(std::string(e.what()) ==
               "'slides' has no file extension; Presentation to PDF accepts "
               ".pptx, .ppt, .odp");
}

BOOST_AUTO_TEST_CASE(accepts_content_matching_the_conversion) {
    const auto& conv = conversion_named("spreadsheet_to_pdf");
    BOOST_CHECK_NO_THROW(docshift::check_content_fits(
        conv, "data.csv", 1200, {file_format::text, "text/csv"}));
    BOOST_CHECK_NO_THROW(docshift::check_content_fits(
        conv, "budget.xlsx", fifty_mib, {file_format::xlsx, ""}));
}

BOOST_AUTO_TEST_CASE(accepts_other_listed_format_behind_the_name) {
    const auto& conv = conversion_named("document_to_pdf");
    BOOST_CHECK_NO_THROW(docshift::check_content_fits(conv, "letter.docx", 5000,
                                                      {file_format::odt, ""}));
}

BOOST_AUTO_TEST_CASE(rejects_empty_file) {
    const auto e = content_error("document_to_pdf", "blank.docx", 0,
                                 {file_format::empty, "application/x-empty"});
    BOOST_TEST(e.code() == "empty_file");
    BOOST_TEST(docshift::http_status(e.kind()) == 400);
    BOOST_TEST(std::string(e.what()) == "'blank.docx' is empty");
}

BOOST_AUTO_TEST_CASE(rejects_file_over_the_size_limit) {
    const auto e = content_error("document_to_pdf", "huge.docx", fifty_mib + 1,
                                 {file_format::docx, ""});
    BOOST_TEST(e.code() == "file_too_large");
    BOOST_TEST(docshift::http_status(e.kind()) == 413);
    BOOST_TEST(std::string(e.what()) ==
               "'huge.docx' is 50.1 MiB; Document to PDF accepts files up to "
               "50 MiB");
}

BOOST_AUTO_TEST_CASE(checks_size_before_content_type) {
    const auto e = content_error("document_to_pdf", "huge.docx", 3 * fifty_mib,
                                 {file_format::png, ""});
    BOOST_TEST(e.code() == "file_too_large");
    BOOST_TEST(std::string(e.what()) ==
               "'huge.docx' is 150 MiB; Document to PDF accepts files up to "
               "50 MiB");
}

BOOST_AUTO_TEST_CASE(rejects_password_protected_office_file) {
    const auto e = content_error("spreadsheet_to_pdf", "salaries.xlsx", 9000,
                                 {file_format::encrypted_office, ""});
    BOOST_TEST(e.code() == "encrypted_file");
    BOOST_TEST(docshift::http_status(e.kind()) == 415);
    BOOST_TEST(std::string(e.what()) ==
               "'salaries.xlsx' is protected by a password; remove the "
               "password and upload it again");
}

BOOST_AUTO_TEST_CASE(rejects_png_renamed_as_docx) {
    const auto e = content_error("document_to_pdf", "photo.docx", 1942,
                                 {file_format::png, "image/png"});
    BOOST_TEST(e.code() == "type_mismatch");
    BOOST_TEST(docshift::http_status(e.kind()) == 415);
    BOOST_TEST(std::string(e.what()) ==
               "'photo.docx' is named like a .docx file but its content is a "
               "PNG image; Document to PDF accepts .docx, .doc, .odt, .rtf "
               "files whose content matches their name");
}

BOOST_AUTO_TEST_CASE(rejects_damaged_file) {
    const auto e =
        content_error("presentation_to_pdf", "talk.pptx", 4000,
                      {file_format::unknown, "application/octet-stream"});
    BOOST_TEST(e.code() == "type_mismatch");
    BOOST_TEST(std::string(e.what()) ==
               "'talk.pptx' is named like a .pptx file but its content is "
               "damaged or of a type docshift does not know; Presentation to "
               "PDF accepts .pptx, .ppt, .odp files whose content matches "
               "their name");
}

BOOST_AUTO_TEST_CASE(asks_for_utf8_when_csv_has_legacy_encoding) {
    const auto e = content_error("spreadsheet_to_pdf", "prices.csv", 11,
                                 {file_format::unknown, "text/plain"});
    BOOST_TEST(e.code() == "type_mismatch");
    BOOST_TEST(std::string(e.what()) ==
               "'prices.csv' is named like a .csv file but its content is "
               "text in an encoding other than UTF-8; save it as UTF-8 and "
               "upload it again");
}

BOOST_AUTO_TEST_CASE(rejects_text_for_document_conversion) {
    const auto e = content_error("document_to_pdf", "notes.rtf", 300,
                                 {file_format::text, "text/plain"});
    BOOST_TEST(e.code() == "type_mismatch");
    BOOST_TEST(std::string(e.what()).starts_with(
        "'notes.rtf' is named like a .rtf file but its content is plain "
        "text;"));
}

BOOST_AUTO_TEST_CASE(shows_entry_as_json) {
    const auto json = docshift::to_json(conversion_named("document_to_pdf"));
    BOOST_TEST(json["id"].asString() == "document_to_pdf");
    BOOST_TEST(json["label"].asString() == "Document to PDF");
    BOOST_TEST_REQUIRE(json["extensions"].isArray());
    BOOST_TEST(json["extensions"].size() == 4u);
    BOOST_TEST(json["extensions"][0].asString() == "docx");
    BOOST_TEST(json["extensions"][3].asString() == "rtf");
    BOOST_TEST_REQUIRE(json["media_types"].isArray());
    BOOST_TEST(json["media_types"][1].asString() == "application/msword");
    BOOST_TEST(json["output"]["extension"].asString() == "pdf");
    BOOST_TEST(json["output"]["media_type"].asString() == "application/pdf");
    BOOST_TEST(json["max_files"].asInt() == 1);
    BOOST_TEST(json["max_file_bytes"].asInt64() == fifty_mib);
    BOOST_TEST(json["options"].isArray());
    BOOST_TEST(json["options"].empty());
}

BOOST_AUTO_TEST_CASE(shows_only_documented_json_keys) {
    const auto json = docshift::to_json(conversion_named("spreadsheet_to_pdf"));
    const std::vector<std::string> keys = {
        "extensions", "id",          "label",   "max_file_bytes",
        "max_files",  "media_types", "options", "output"};
    BOOST_TEST(json.getMemberNames() == keys, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

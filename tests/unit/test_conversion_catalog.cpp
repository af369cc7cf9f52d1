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
    const std::vector<std::string> expected = {
        "document_to_pdf",  "spreadsheet_to_pdf", "presentation_to_pdf",
        "document_to_docx", "document_to_odt",    "pdf_to_text",
        "pdf_to_images",    "pdf_merge",          "pdf_compress",
        "pdf_to_pdfa",      "images_to_pdf",      "image_convert",
        "markdown_to_pdf",  "markdown_to_docx",   "markdown_to_html",
        "html_to_pdf"};
    std::vector<std::string> ids;
    for (const auto& conv : docshift::conversion_catalog()) {
        ids.push_back(conv.id);
    }
    BOOST_TEST(ids == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(office_conversions_take_one_file_up_to_50_mib) {
    for (const auto& conv : docshift::conversion_catalog()) {
        if (conv.engine != docshift::engine_kind::office) {
            continue;
        }
        BOOST_TEST_CONTEXT(conv.id) {
            BOOST_TEST(conv.max_files == 1);
            BOOST_TEST(conv.max_file_bytes == fifty_mib);
            BOOST_TEST(conv.media_types.size() == conv.extensions.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(every_entry_lists_a_media_type_per_extension) {
    for (const auto& conv : docshift::conversion_catalog()) {
        BOOST_TEST_CONTEXT(conv.id) {
            BOOST_TEST(conv.media_types.size() == conv.extensions.size());
            BOOST_TEST(conv.min_files >= 1);
            BOOST_TEST(conv.max_files >= conv.min_files);
            BOOST_TEST(conv.max_file_bytes > 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(merge_takes_two_to_twenty_pdfs) {
    const auto& conv = conversion_named("pdf_merge");
    BOOST_TEST(conv.min_files == 2);
    BOOST_TEST(conv.max_files == 20);
    BOOST_TEST(conv.extensions == std::vector<std::string>{"pdf"},
               boost::test_tools::per_element());
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
               ".doc, .odt, .rtf, .txt");
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
               "PNG image; Document to PDF accepts .docx, .doc, .odt, .rtf, "
               ".txt files whose content matches their name");
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
    BOOST_TEST(json["extensions"].size() == 5u);
    BOOST_TEST(json["extensions"][0].asString() == "docx");
    BOOST_TEST(json["extensions"][4].asString() == "txt");
    BOOST_TEST_REQUIRE(json["media_types"].isArray());
    BOOST_TEST(json["media_types"][1].asString() == "application/msword");
    BOOST_TEST(json["output"]["extension"].asString() == "pdf");
    BOOST_TEST(json["output"]["media_type"].asString() == "application/pdf");
    BOOST_TEST(json["max_files"].asInt() == 1);
    BOOST_TEST(json["max_file_bytes"].asInt64() == fifty_mib);
    BOOST_TEST(json["options"].isArray());
    BOOST_TEST(json["options"].empty());
    BOOST_TEST(json["min_files"].asInt() == 1);
}

BOOST_AUTO_TEST_CASE(shows_only_documented_json_keys) {
    const auto json = docshift::to_json(conversion_named("spreadsheet_to_pdf"));
    const std::vector<std::string> keys = {
        "extensions", "id",          "label",     "limits",  "max_file_bytes",
        "max_files",  "media_types", "min_files", "options", "output"};
    BOOST_TEST(json.getMemberNames() == keys, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(accepts_plain_text_named_txt_for_documents) {
    BOOST_CHECK_NO_THROW(docshift::check_content_fits(
        conversion_named("document_to_pdf"), "notes.txt", 300,
        {file_format::text, "text/plain"}));
}

BOOST_AUTO_TEST_CASE(shows_enum_and_integer_options_as_json) {
    const auto json = docshift::to_json(conversion_named("pdf_to_images"));
    BOOST_TEST_REQUIRE(json["options"].size() == 2u);
    const auto& format = json["options"][0];
    BOOST_TEST(format["name"].asString() == "format");
    BOOST_TEST(format["type"].asString() == "enum");
    BOOST_TEST(format["values"][0].asString() == "png");
    BOOST_TEST(format["values"][1].asString() == "jpeg");
    BOOST_TEST(format["default"].asString() == "png");
    const auto& dpi = json["options"][1];
    BOOST_TEST(dpi["name"].asString() == "dpi");
    BOOST_TEST(dpi["type"].asString() == "integer");
    BOOST_TEST(dpi["min"].asInt() == 36);
    BOOST_TEST(dpi["max"].asInt() == 600);
    BOOST_TEST(dpi["default"].asInt() == 150);
    BOOST_TEST(json["limits"]["max_pdf_pages"].asInt() == 200);
}

BOOST_AUTO_TEST_CASE(fills_in_default_options) {
    const auto options =
        docshift::resolve_options(conversion_named("pdf_to_images"), {});
    BOOST_TEST(options.at("format") == "png");
    BOOST_TEST(options.at("dpi") == "150");
    BOOST_TEST(options.size() == 2u);
}

BOOST_AUTO_TEST_CASE(keeps_valid_option_values) {
    const auto options = docshift::resolve_options(
        conversion_named("pdf_to_images"), {{"format", "jpeg"}, {"dpi", "72"}});
    BOOST_TEST(options.at("format") == "jpeg");
    BOOST_TEST(options.at("dpi") == "72");
}

BOOST_AUTO_TEST_CASE(keeps_a_number_in_one_spelling) {
    const auto options = docshift::resolve_options(
        conversion_named("pdf_to_images"), {{"dpi", "072"}});
    BOOST_TEST(options.at("dpi") == "72");
}

BOOST_AUTO_TEST_CASE(rejects_enum_value_not_listed) {
    const auto e = thrown_by([] {
        docshift::resolve_options(conversion_named("image_convert"),
                                  {{"format", "bmp"}});
    });
    BOOST_TEST(e.code() == "bad_option");
    BOOST_TEST(docshift::http_status(e.kind()) == 422);
    BOOST_TEST(std::string(e.what()) ==
               "option 'format' cannot be 'bmp'; choose one of png, jpeg, "
               "webp");
}

BOOST_AUTO_TEST_CASE(rejects_integer_out_of_range_or_malformed) {
    for (const std::string value : {"35", "601", "15O", "", "+150", "1e2"}) {
        BOOST_TEST_CONTEXT(value) {
            const auto e = thrown_by([&] {
                docshift::resolve_options(conversion_named("pdf_to_images"),
                                          {{"dpi", value}});
            });
            BOOST_TEST(e.code() == "bad_option");
            BOOST_TEST(std::string(e.what()) ==
                       "option 'dpi' cannot be '" + value +
                           "'; give a whole number from 36 to 600");
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_option_the_conversion_does_not_take) {
    const auto e = thrown_by([] {
        docshift::resolve_options(conversion_named("pdf_to_text"),
                                  {{"dpi", "150"}});
    });
    BOOST_TEST(e.code() == "unknown_option");
    BOOST_TEST(docshift::http_status(e.kind()) == 422);
    BOOST_TEST(std::string(e.what()) ==
               "'dpi' is not an option of PDF to text, which takes no "
               "options");
}

BOOST_AUTO_TEST_CASE(names_result_extension_by_format_option) {
    const auto& conv = conversion_named("image_convert");
    BOOST_TEST(docshift::output_extension(conv, {{"format", "jpeg"}}) == "jpg");
    BOOST_TEST(docshift::output_extension(conv, {{"format", "webp"}}) ==
               "webp");
    BOOST_TEST(docshift::output_extension(conversion_named("pdf_to_text"),
                                          {}) == "txt");
    BOOST_TEST(docshift::media_type_of("zip") == "application/zip");
    BOOST_TEST(docshift::media_type_of("jpg") == "image/jpeg");
}

BOOST_AUTO_TEST_CASE(rejects_pdf_with_too_many_pages) {
    const auto e = thrown_by([] {
        docshift::check_pdf_fits(conversion_named("pdf_to_images"), "big.pdf",
                                 201, 612.0 * 792.0,
                                 {{"dpi", "150"}, {"format", "png"}});
    });
    BOOST_TEST(e.code() == "too_many_pages");
    BOOST_TEST(docshift::http_status(e.kind()) == 413);
    BOOST_TEST(std::string(e.what()) ==
               "'big.pdf' has 201 pages; PDF to images takes up to 200 "
               "pages; split it and convert the parts");
}

BOOST_AUTO_TEST_CASE(rejects_page_too_large_to_render_at_the_dpi) {
    // 200 x 200 inches at 150 dpi: 30000 x 30000 pixels.
    const double side = 200 * 72.0;
    const auto e = thrown_by([&] {
        docshift::check_pdf_fits(conversion_named("pdf_to_images"),
                                 "poster.pdf", 1, side * side,
                                 {{"dpi", "150"}, {"format", "png"}});
    });
    BOOST_TEST(e.code() == "page_too_large");
    BOOST_TEST(std::string(e.what()) ==
               "'poster.pdf' has a page that would be 900 megapixels at 150 "
               "dpi; PDF to images renders pages up to 50 megapixels; choose "
               "a lower dpi");
    BOOST_CHECK_NO_THROW(docshift::check_pdf_fits(
        conversion_named("pdf_to_images"), "letter.pdf", 1, 612.0 * 792.0,
        {{"dpi", "600"}, {"format", "png"}}));
}

BOOST_AUTO_TEST_CASE(page_too_large_at_the_lowest_dpi_asks_for_no_lower) {
    // 200 x 200 inches at 36 dpi: 7200 x 7200 pixels.
    const double side = 200 * 72.0;
    const auto e = thrown_by([&] {
        docshift::check_pdf_fits(conversion_named("pdf_to_images"),
                                 "poster.pdf", 1, side * side,
                                 {{"dpi", "36"}, {"format", "png"}});
    });
    BOOST_TEST(e.code() == "page_too_large");
    BOOST_TEST(std::string(e.what()) ==
               "'poster.pdf' has a page that would be 51 megapixels at 36 "
               "dpi; PDF to images renders pages up to 50 megapixels; the "
               "page is too large to render even at the lowest dpi");
}

BOOST_AUTO_TEST_CASE(rejects_image_of_no_pixels_as_damaged) {
    const auto e = thrown_by([] {
        docshift::check_image_fits(conversion_named("images_to_pdf"),
                                   "blank.png", 0, 0);
    });
    BOOST_TEST(e.code() == "damaged_file");
    BOOST_TEST(docshift::http_status(e.kind()) == 415);
    BOOST_TEST(std::string(e.what()) ==
               "'blank.png' claims to be 0 x 0 pixels, which no image is; "
               "it is damaged");
}

BOOST_AUTO_TEST_CASE(rejects_pixel_bomb_by_its_header) {
    const auto e = thrown_by([] {
        docshift::check_image_fits(conversion_named("images_to_pdf"),
                                   "bomb.png", 60000, 60000);
    });
    BOOST_TEST(e.code() == "image_too_large");
    BOOST_TEST(docshift::http_status(e.kind()) == 413);
    BOOST_TEST(std::string(e.what()) ==
               "'bomb.png' is 60000 x 60000 pixels; Images to PDF takes "
               "images up to 100 megapixels; scale it down first");
    BOOST_CHECK_NO_THROW(docshift::check_image_fits(
        conversion_named("images_to_pdf"), "photo.jpg", 10000, 10000));
}

BOOST_AUTO_TEST_SUITE_END()

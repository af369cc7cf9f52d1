// Tests for multipart_reader: chunking, exact part bytes, headers, limits.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api_error.hpp"
#include "multipart_reader.hpp"

namespace {

const std::string boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

// The number of bytes the reader may hold back: a delimiter minus one.
const std::size_t hold_back = boundary.size() + 4 - 1;

struct recorded_part {
    docshift::part_headers headers;
    std::string data;
    bool ended = false;
};

class recorder : public docshift::multipart_handler {
public:
    std::vector<recorded_part> parts;
    std::size_t received = 0;

    void on_part_begin(const docshift::part_headers& headers) override {
        parts.push_back({headers, {}, false});
    }

    void on_part_data(std::string_view bytes) override {
        if (bytes.empty() || parts.empty() || parts.back().ended) {
            throw std::logic_error("part data outside a part");
        }
        parts.back().data.append(bytes);
        received += bytes.size();
    }

    void on_part_end() override { parts.back().ended = true; }
};

// Bytes as printable text, so failures show where two bodies differ.
std::string escaped(std::string_view bytes) {
    std::string result;
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F && c != '\\') {
            result += c;
            continue;
        }
        char code[8];
        std::snprintf(code, sizeof code, "\\x%02x", byte);
        result += code;
    }
    return result;
}

std::string describe(const std::vector<recorded_part>& parts) {
    std::string result;
    for (const auto& part : parts) {
        result += "name=" + escaped(part.headers.name);
        if (part.headers.filename) {
            result += " filename=" + escaped(*part.headers.filename);
        }
        result += " type=" + part.headers.content_type;
        result += " data=" + escaped(part.data);
        result += part.ended ? " ended\n" : " open\n";
    }
    return result;
}

std::string part(std::string_view headers, std::string_view data) {
    return "--" + boundary + "\r\n" + std::string(headers) + "\r\n" +
           std::string(data) + "\r\n";
}

std::string field(std::string_view name, std::string_view value) {
    return part("Content-Disposition: form-data; name=\"" + std::string(name) +
                    "\"\r\n",
                value);
}

std::string closing() {
    return "--" + boundary + "--\r\n";
}

std::vector<recorded_part> read_chunks(const std::vector<std::string>& chunks,
                                       docshift::multipart_limits limits = {}) {
    recorder handler;
    docshift::multipart_reader reader(boundary, handler, limits);
    for (const auto& chunk : chunks) {
        reader.feed(chunk);
    }
    reader.finish();
    return handler.parts;
}

std::vector<recorded_part> read_body(std::string_view body,
                                     docshift::multipart_limits limits = {}) {
    return read_chunks({std::string(body)}, limits);
}

std::vector<recorded_part> read_bytewise(std::string_view body) {
    std::vector<std::string> chunks;
    for (char c : body) {
        chunks.emplace_back(1, c);
    }
    return read_chunks(chunks);
}

std::vector<recorded_part> read_split(std::string_view body, std::size_t at) {
    return read_chunks(
        {std::string(body.substr(0, at)), std::string(body.substr(at))});
}

// The only part of a body, with its file name.
std::string file_name_in(std::string_view disposition) {
    auto parts = read_body(
        part("Content-Disposition: " + std::string(disposition) + "\r\n", "x") +
        closing());
    BOOST_REQUIRE_EQUAL(parts.size(), 1u);
    BOOST_REQUIRE(parts[0].headers.filename.has_value());
    return *parts[0].headers.filename;
}

std::string boundary_in(const std::string& content_type) {
    return docshift::multipart_reader::boundary_of(content_type)
        .value_or("<none>");
}

auto has_code(std::string code) {
    return [code](const docshift::api_error& error) {
        return error.kind() == docshift::error_kind::malformed_request &&
               error.code() == code;
    };
}

// A body like a browser sends: a field and a file, with a preamble.
std::string realistic_body() {
    return "This is a preamble.\r\n" + field("conversion", "docx-to-pdf") +
           part(
               "Content-Disposition: form-data; name=\"file\"; "
               "filename=\"Relat\xc3\xb3rio.docx\"\r\n"
               "Content-Type: application/vnd.openxmlformats-"
               "officedocument.wordprocessingml.document\r\n",
               std::string("PK\x03\x04\0\0\r\n--\r\n", 12)) +
           field("quality", "") + closing() + "epilogue";
}

const char* realistic_parts =
    "name=conversion type= data=docx-to-pdf ended\n"
    "name=file filename=Relat\\xc3\\xb3rio.docx "
    "type=application/vnd.openxmlformats-officedocument.wordprocessingml."
    "document data=PK\\x03\\x04\\x00\\x00\\x0d\\x0a--\\x0d\\x0a ended\n"
    "name=quality type= data= ended\n";

// Data that holds things a careless reader would take for a boundary.
std::string tricky_data() {
    std::string data("\0\r\n--\r\n-\r\r\n--", 13);
    data += "\r\n--" + boundary.substr(0, boundary.size() - 1) + "X";
    data += "--" + boundary + " not after a line break";
    data += "\n--" + boundary + "\r--" + boundary;
    for (int byte = 0; byte < 256; ++byte) {
        data += static_cast<char>(byte);
    }
    return data;
}

// Parts whose data ends in a prefix of the delimiter that follows it.
std::string body_with_tricky_endings() {
    return field("a", tricky_data()) + field("b", "ends in CR\r") +
           field("c", "ends in CRLF\r\n") + field("d", "ends in dash\r\n-") +
           field("e", "\r\n--" + boundary.substr(0, 5)) + closing();
}

std::string tricky_parts() {
    return "name=a type= data=" + escaped(tricky_data()) + " ended\n" +
           "name=b type= data=ends in CR\\x0d ended\n" +
           "name=c type= data=ends in CRLF\\x0d\\x0a ended\n" +
           "name=d type= data=ends in dash\\x0d\\x0a- ended\n" +
           "name=e type= data=\\x0d\\x0a--" + boundary.substr(0, 5) +
           " ended\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(multipart_reader)

BOOST_AUTO_TEST_CASE(reads_fields_and_file_of_a_browser_body) {
    BOOST_TEST(describe(read_body(realistic_body())) == realistic_parts);
}

BOOST_AUTO_TEST_CASE(finds_boundaries_split_at_every_position) {
    auto body = realistic_body();
    for (std::size_t at = 0; at <= body.size(); ++at) {
        BOOST_TEST_CONTEXT("split at " << at) {
            BOOST_TEST(describe(read_split(body, at)) == realistic_parts);
        }
    }
}

BOOST_AUTO_TEST_CASE(finds_boundaries_split_into_three_reads_anywhere) {
    auto body = realistic_body();
    for (std::size_t first = 0; first <= body.size(); first += 3) {
        for (std::size_t second = first; second <= body.size(); ++second) {
            auto parts = read_chunks({body.substr(0, first),
                                      body.substr(first, second - first),
                                      body.substr(second)});
            BOOST_TEST_CONTEXT("split at " << first << " and " << second) {
                BOOST_TEST(describe(parts) == realistic_parts);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(reads_a_body_fed_one_byte_at_a_time) {
    BOOST_TEST(describe(read_bytewise(realistic_body())) == realistic_parts);
}

BOOST_AUTO_TEST_CASE(keeps_binary_data_that_resembles_a_boundary) {
    auto body = body_with_tricky_endings();
    BOOST_TEST(describe(read_body(body)) == tricky_parts());
    BOOST_TEST(describe(read_bytewise(body)) == tricky_parts());
    for (std::size_t at = 0; at <= body.size(); ++at) {
        BOOST_TEST_CONTEXT("split at " << at) {
            BOOST_TEST(describe(read_split(body, at)) == tricky_parts());
        }
    }
}

BOOST_AUTO_TEST_CASE(passes_part_data_on_before_the_part_ends) {
    recorder handler;
    docshift::multipart_reader reader(boundary, handler);
    reader.feed("--" + boundary +
                "\r\nContent-Disposition: form-data; name=\"file\"; "
                "filename=\"big.bin\"\r\n\r\n");

    std::string chunk(4096, 'a');
    chunk[4000] = '\r';
    chunk[4001] = '\n';
    chunk[4095] = '\r';
    std::size_t sent = 0;
    for (int i = 0; i < 256; ++i) {
        reader.feed(chunk);
        sent += chunk.size();
        BOOST_TEST(handler.received + hold_back >= sent);
    }

    reader.feed("\r\n" + closing());
    reader.finish();
    BOOST_TEST(handler.received == sent);
    BOOST_TEST(handler.parts.at(0).ended);
}

BOOST_AUTO_TEST_CASE(ignores_preamble_and_epilogue) {
    auto body = "A preamble that names --" + boundary + " mid-line.\r\n" +
                field("a", "1") + closing() + "\r\n" + field("b", "2") +
                "garbage";
    BOOST_TEST(describe(read_body(body)) == "name=a type= data=1 ended\n");
}

BOOST_AUTO_TEST_CASE(ignores_bytes_fed_after_the_closing_boundary) {
    recorder handler;
    docshift::multipart_reader reader(boundary, handler);
    reader.feed(field("a", "1") + "--" + boundary + "--");
    reader.feed("\r\n" + field("b", "2") + "--" + boundary + "\r\nx");
    reader.finish();
    BOOST_TEST(describe(handler.parts) == "name=a type= data=1 ended\n");
}

BOOST_AUTO_TEST_CASE(tolerates_transport_padding_after_a_boundary) {
    auto body = "--" + boundary + " \t \r\n" +
                "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" +
                "--" + boundary + "\t\r\n" +
                "Content-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n" +
                "--" + boundary + "--  \r\n";
    BOOST_TEST(describe(read_body(body)) ==
               "name=a type= data=1 ended\nname=b type= data=2 ended\n");
}

BOOST_AUTO_TEST_CASE(accepts_a_body_with_no_parts) {
    BOOST_TEST(read_body("--" + boundary + "--").empty());
}

BOOST_AUTO_TEST_CASE(reads_quoted_utf8_file_name) {
    BOOST_TEST(file_name_in("form-data; name=\"file\"; "
                            "filename=\"Relat\xc3\xb3rio final "
                            "\xc3\xa7\xc3\xa3o.docx\"") ==
               "Relat\xc3\xb3rio final \xc3\xa7\xc3\xa3o.docx");
}

BOOST_AUTO_TEST_CASE(unescapes_quotes_in_file_name) {
    BOOST_TEST(file_name_in(R"(form-data; name="file"; )"
                            R"(filename="say \"hi\" \\ bye.txt")") ==
               R"(say "hi" \ bye.txt)");
}

BOOST_AUTO_TEST_CASE(reads_quotes_as_browsers_escape_them) {
    BOOST_TEST(file_name_in(R"(form-data; name="file"; )"
                            R"(filename="say %22hi%22.docx")") ==
               R"(say "hi".docx)");
    // Only the quote has such an escape; other % sequences stay as sent.
    BOOST_TEST(file_name_in(R"(form-data; name="file"; )"
                            R"(filename="100%25 %41.docx")") ==
               "100%25 %41.docx");
}

BOOST_AUTO_TEST_CASE(keeps_bare_backslashes_in_file_name) {
    BOOST_TEST(
        file_name_in(R"(form-data; name="f"; filename="C:\tmp\a.doc")") ==
        R"(C:\tmp\a.doc)");
}

BOOST_AUTO_TEST_CASE(reads_cyrillic_and_cjk_file_names) {
    const std::string cyrillic = "\xd0\x9e\xd1\x82\xd1\x87\xd1\x91\xd1\x82.pdf";
    const std::string cjk = "\xe6\x8a\xa5\xe5\x91\x8a\xe6\x9b\xb8.docx";
    BOOST_TEST(file_name_in("form-data; name=\"f\"; filename=\"" + cyrillic +
                            "\"") == cyrillic);
    BOOST_TEST(
        file_name_in("form-data; name=\"f\"; filename=\"" + cjk + "\"") == cjk);
}

BOOST_AUTO_TEST_CASE(prefers_filename_star_over_filename) {
    BOOST_TEST(file_name_in("form-data; name=\"f\"; filename=\"fallback.pdf\"; "
                            "filename*=UTF-8''Relat%C3%B3rio%20final.pdf") ==
               "Relat\xc3\xb3rio final.pdf");
    BOOST_TEST(file_name_in("form-data; filename*=utf-8'pt'a%2Fb.pdf; "
                            "filename=\"fallback.pdf\"; name=\"f\"") ==
               "a/b.pdf");
}

BOOST_AUTO_TEST_CASE(converts_latin1_filename_star_to_utf8) {
    BOOST_TEST(file_name_in("form-data; name=\"f\"; "
                            "filename*=ISO-8859-1''Relat%F3rio.pdf") ==
               "Relat\xc3\xb3rio.pdf");
}

BOOST_AUTO_TEST_CASE(keeps_an_empty_file_name_as_a_file_part) {
    BOOST_TEST(file_name_in("form-data; name=\"file\"; filename=\"\"") == "");
}

BOOST_AUTO_TEST_CASE(reads_token_parameters_and_any_header_case) {
    auto parts = read_body(
        part("content-disposition: Form-Data; NAME=file; Filename=a.txt\r\n"
             "CONTENT-TYPE:   text/plain; charset=utf-8  \r\n"
             "X-Other: ignored\r\n",
             "hi") +
        field("plain", "v") + closing());
    BOOST_TEST(describe(parts) ==
               "name=file filename=a.txt type=text/plain; charset=utf-8 "
               "data=hi ended\n"
               "name=plain type= data=v ended\n");
}

BOOST_AUTO_TEST_CASE(rejects_a_body_without_closing_boundary) {
    for (auto body : {std::string(), field("a", "1"), field("a", "1") + "--",
                      field("a", "1") + "--" + boundary + "-",
                      field("a", "1").substr(0, 60), std::string("preamble")}) {
        BOOST_TEST_CONTEXT("body " << escaped(body)) {
            BOOST_CHECK_EXCEPTION(read_body(body), docshift::api_error,
                                  has_code("malformed_multipart"));
        }
    }
}

BOOST_AUTO_TEST_CASE(explains_a_truncated_body) {
    recorder handler;
    docshift::multipart_reader reader(boundary, handler);
    reader.feed(field("a", "1"));
    try {
        reader.finish();
        BOOST_FAIL("finish() accepted a truncated body");
    } catch (const docshift::api_error& error) {
        BOOST_TEST(std::string(error.what()) ==
                   "the upload ended before its closing boundary; send the "
                   "whole request again");
    }
}

// The message finish() gives for `body`, fed whole.
std::string finish_message(std::string_view body) {
    recorder handler;
    docshift::multipart_reader reader(boundary, handler);
    reader.feed(body);
    try {
        reader.finish();
    } catch (const docshift::api_error& error) {
        BOOST_TEST(error.code() == "malformed_multipart");
        return error.what();
    }
    return "<accepted>";
}

BOOST_AUTO_TEST_CASE(explains_an_empty_body) {
    BOOST_TEST(finish_message("") ==
               "the upload is empty; send the form's parts, each after a line "
               "with the boundary the Content-Type names");
}

BOOST_AUTO_TEST_CASE(explains_a_body_without_the_boundary_it_names) {
    const std::string other =
        "--other-boundary\r\n"
        "Content-Disposition: form-data; name=\"a\"\r\n"
        "\r\n1\r\n--other-boundary--\r\n";
    for (const std::string& body :
         {std::string("garbage"), other, std::string("\0\xff\xfe", 3)}) {
        BOOST_TEST_CONTEXT(escaped(body)) {
            BOOST_TEST(finish_message(body) ==
                       "the upload does not start with a line '--" + boundary +
                           "', the boundary its Content-Type names; send the "
                           "parts between lines of that boundary");
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_a_part_without_name) {
    for (auto disposition : {"form-data", "form-data; filename=\"a.txt\"",
                             "form-data; name=\"\"", "form-data; name="}) {
        BOOST_TEST_CONTEXT(disposition) {
            auto body =
                part(
                    "Content-Disposition: " + std::string(disposition) + "\r\n",
                    "x") +
                closing();
            BOOST_CHECK_EXCEPTION(read_body(body), docshift::api_error,
                                  has_code("malformed_multipart"));
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_a_part_without_content_disposition) {
    for (auto headers : {"", "Content-Type: text/plain\r\n"}) {
        BOOST_TEST_CONTEXT(headers) {
            auto body = part(headers, "x") + closing();
            BOOST_CHECK_EXCEPTION(read_body(body), docshift::api_error,
                                  has_code("malformed_multipart"));
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_broken_part_headers) {
    for (auto headers : {
             "Content-Disposition: attachment; name=\"a\"\r\n",
             "Content-Disposition: form-data; name=\"a\r\n",
             "Content-Disposition: form-data; name=\"a\" x\r\n",
             "Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n",
             "Content-Disposition: form-data; name=\"a\"\r\n"
             "Content-Disposition: form-data; name=\"b\"\r\n",
             "Content-Disposition: form-data; name=\"a\"\r\nno colon\r\n",
             "Content-Disposition: form-data; name=\"a\"\r\n continued\r\n",
         }) {
        BOOST_TEST_CONTEXT(escaped(headers)) {
            auto body = part(headers, "x") + closing();
            BOOST_CHECK_EXCEPTION(read_body(body), docshift::api_error,
                                  has_code("malformed_multipart"));
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_text_after_a_boundary_on_its_line) {
    auto body = field("a", "1") + "--" + boundary + "x\r\n" + closing();
    BOOST_CHECK_EXCEPTION(read_body(body), docshift::api_error,
                          has_code("malformed_multipart"));

    auto bare_lf = "--" + boundary + "\n" + field("a", "1") + closing();
    BOOST_CHECK_EXCEPTION(read_body(bare_lf), docshift::api_error,
                          has_code("malformed_multipart"));
}

BOOST_AUTO_TEST_CASE(accepts_headers_of_exactly_the_limit) {
    std::string headers = "Content-Disposition: form-data; name=\"a\"\r\n";
    auto body = part(headers, "1") + closing();
    BOOST_TEST(read_body(body, {.max_header_bytes = headers.size()}).size() ==
               1u);
    BOOST_CHECK_EXCEPTION(
        read_body(body, {.max_header_bytes = headers.size() - 1}),
        docshift::api_error, has_code("malformed_multipart"));
}

BOOST_AUTO_TEST_CASE(rejects_endless_headers_before_their_end_arrives) {
    recorder handler;
    docshift::multipart_reader reader(boundary, handler,
                                      {.max_header_bytes = 1024});
    reader.feed("--" + boundary + "\r\nX-Long: ");
    auto feed_filler = [&reader] {
        for (int i = 0; i < 20; ++i) {
            reader.feed(std::string(100, 'a'));
        }
    };
    BOOST_CHECK_EXCEPTION(feed_filler(), docshift::api_error,
                          has_code("malformed_multipart"));
}

BOOST_AUTO_TEST_CASE(rejects_more_parts_than_the_limit) {
    auto two = field("a", "1") + field("b", "2");
    BOOST_TEST(read_body(two + closing(), {.max_parts = 2}).size() == 2u);
    BOOST_CHECK_EXCEPTION(
        read_body(two + field("c", "3") + closing(), {.max_parts = 2}),
        docshift::api_error, has_code("malformed_multipart"));
}

BOOST_AUTO_TEST_CASE(rejects_control_characters_in_file_name) {
    for (std::string name :
         {"filename*=UTF-8''a%0D%0Ab.txt", "filename*=UTF-8''a%0Ab.txt",
          "filename*=UTF-8''a%00b.txt", "filename*=UTF-8''a%C2%85b.txt",
          "filename=\"a\rb.txt\"", "filename=\"a\tb.txt\"",
          "filename=\"a\x7f.txt\""}) {
        BOOST_TEST_CONTEXT(escaped(name)) {
            auto body = part("Content-Disposition: form-data; name=\"f\"; " +
                                 name + "\r\n",
                             "x") +
                        closing();
            BOOST_CHECK_EXCEPTION(read_body(body), docshift::api_error,
                                  has_code("bad_file_name"));
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_file_name_that_is_not_utf8) {
    for (std::string name :
         {"filename=\"a\xff.txt\"", "filename=\"\xc3(.txt\"",
          "filename=\"\xed\xa0\x80.txt\"", "filename=\"\xc0\xaf.txt\"",
          "filename*=UTF-8''%C3%28.txt", "filename*=UTF-8''%E2%82",
          "filename*=UTF-8''bad%zz", "filename*=UTF-8''bad%4",
          "filename*=KOI8-R''%F0", "filename*=no-quotes.txt"}) {
        BOOST_TEST_CONTEXT(escaped(name)) {
            auto body = part("Content-Disposition: form-data; name=\"f\"; " +
                                 name + "\r\n",
                             "x") +
                        closing();
            BOOST_CHECK_EXCEPTION(read_body(body), docshift::api_error,
                                  has_code("bad_file_name"));
        }
    }
}

BOOST_AUTO_TEST_CASE(lets_a_handler_exception_through) {
    class failing_handler : public recorder {
    public:
        void on_part_data(std::string_view) override {
            throw std::runtime_error("disk full");
        }
    };
    failing_handler handler;
    docshift::multipart_reader reader(boundary, handler);
    BOOST_CHECK_EXCEPTION(reader.feed(field("a", "1") + closing()),
                          std::runtime_error, [](const auto& error) {
                              return error.what() == std::string("disk full");
                          });
    BOOST_CHECK_THROW(reader.feed("more"), std::logic_error);
}

BOOST_AUTO_TEST_CASE(finds_boundary_of_form_data_content_type) {
    BOOST_TEST(boundary_in("multipart/form-data; boundary=" + boundary) ==
               boundary);
    BOOST_TEST(boundary_in("Multipart/Form-Data;boundary=\"a b:c?\"") ==
               "a b:c?");
    BOOST_TEST(
        boundary_in("multipart/form-data; charset=utf-8; BOUNDARY=xyz ") ==
        "xyz");
    BOOST_TEST(boundary_in(" multipart/form-data ; boundary = \"q\" ; x=y") ==
               "q");
    BOOST_TEST(boundary_in("multipart/form-data; boundary=" +
                           std::string(70, 'b')) == std::string(70, 'b'));
}

BOOST_AUTO_TEST_CASE(refuses_a_boundary_longer_than_70_characters) {
    try {
        boundary_in("multipart/form-data; boundary=" + std::string(71, 'b'));
        BOOST_FAIL("a 71-character boundary was accepted");
    } catch (const docshift::api_error& error) {
        BOOST_TEST(error.code() == "malformed_multipart");
        BOOST_TEST(std::string(error.what()) ==
                   "the multipart boundary in the Content-Type is 71 "
                   "characters long; RFC 2046 allows 1 to 70, so send a "
                   "shorter one");
    }
}

BOOST_AUTO_TEST_CASE(refuses_a_boundary_with_characters_rfc_2046_forbids) {
    for (const std::string& type : std::vector<std::string>{
             "multipart/form-data; boundary=\"ends in space \"",
             "multipart/form-data; boundary=\"a\r\nb\"",
             "multipart/form-data; boundary=a<b>",
         }) {
        BOOST_TEST_CONTEXT(escaped(type)) {
            BOOST_CHECK_EXCEPTION(boundary_in(type), docshift::api_error,
                                  has_code("malformed_multipart"));
        }
    }
}

BOOST_AUTO_TEST_CASE(finds_no_boundary_in_other_content_types) {
    for (const std::string& type : std::vector<std::string>{
             "",
             "text/plain; boundary=abc",
             "multipart/mixed; boundary=abc",
             "multipart/form-data",
             "multipart/form-data; boundary=",
             "multipart/form-data; boundary=\"\"",
             "multipart/form-data; boundary=\"abc",
             "multipart/form-data; boundary=a; boundary=b",
         }) {
        BOOST_TEST_CONTEXT(escaped(type)) {
            BOOST_TEST(boundary_in(type) == "<none>");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

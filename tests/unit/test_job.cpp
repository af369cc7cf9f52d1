// The names results get: the input's stem with the output's extension,
// never the input's own name.
#include <boost/test/unit_test.hpp>

#include "job.hpp"

using namespace docshift;

BOOST_AUTO_TEST_SUITE(job_names)

BOOST_AUTO_TEST_CASE(stem_drops_only_the_last_extension) {
    BOOST_TEST(file_stem("Relatório final.docx") == "Relatório final");
    BOOST_TEST(file_stem("archive.tar.gz") == "archive.tar");
    BOOST_TEST(file_stem("README") == "README");
    BOOST_TEST(file_stem(".profile") == ".profile");
}

BOOST_AUTO_TEST_CASE(result_takes_the_output_extension) {
    BOOST_TEST(output_file_name("Relatório final.docx", "document_to_pdf",
                                "pdf") == "Relatório final.pdf");
    BOOST_TEST(output_file_name("scan.pdf", "pdf_to_images", "zip") ==
               "scan.zip");
    BOOST_TEST(output_file_name("photo.jpeg", "image_convert", "jpg") ==
               "photo.jpg");
}

BOOST_AUTO_TEST_CASE(pdf_rewritten_as_pdf_says_what_was_done) {
    BOOST_TEST(output_file_name("report.pdf", "pdf_compress", "pdf") ==
               "report-compressed.pdf");
    BOOST_TEST(output_file_name("report.pdf", "pdf_to_pdfa", "pdf") ==
               "report-pdfa.pdf");
    BOOST_TEST(output_file_name("first.pdf", "pdf_merge", "pdf") ==
               "first-merged.pdf");
}

BOOST_AUTO_TEST_CASE(result_never_takes_its_input_name) {
    BOOST_TEST(output_file_name("letter.docx", "document_to_docx", "docx") ==
               "letter-converted.docx");
    BOOST_TEST(output_file_name("letter.odt", "document_to_odt", "odt") ==
               "letter-converted.odt");
    BOOST_TEST(output_file_name("photo.png", "image_convert", "png") ==
               "photo-converted.png");
}

BOOST_AUTO_TEST_CASE(names_differing_only_in_case_count_as_the_same) {
    BOOST_TEST(output_file_name("PHOTO.PNG", "image_convert", "png") ==
               "PHOTO-converted.png");
    BOOST_TEST(output_file_name("Notes.Docx", "document_to_docx", "docx") ==
               "Notes-converted.docx");
}

BOOST_AUTO_TEST_SUITE_END()

// Content sniffing against real office files from public test suites and
// against edge cases written to a temporary directory.
#include <stdlib.h>
#include <zip.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "file_type.hpp"
#include "image_header.hpp"
#include "pdf_info.hpp"

namespace docshift {

// Lets Boost.Test print formats by name when an assertion fails.
inline std::ostream& boost_test_print_type(std::ostream& out,
                                           file_format format) {
    return out << format_name(format);
}

}  // namespace docshift

namespace fs = std::filesystem;
using docshift::file_format;
using docshift::sniff_file;

namespace {

// The shared corpus sits next to the repository; DOCSHIFT_CORPUS_DIR
// overrides it when the tests run from elsewhere.
fs::path corpus_dir() {
    if (const char* dir = std::getenv("DOCSHIFT_CORPUS_DIR")) {
        return dir;
    }
    const fs::path repo = fs::path(__FILE__).parent_path() / ".." / "..";
    return repo / ".." / "shared" / "corpus" / "real";
}

file_format sniff_corpus(const std::string& name) {
    const fs::path path = corpus_dir() / name;
    BOOST_TEST_REQUIRE(fs::exists(path), "corpus file missing: " << path);
    return sniff_file(path).format;
}

void check_corpus(
    const std::vector<std::pair<std::string, file_format>>& expected) {
    for (const auto& [name, format] : expected) {
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(sniff_corpus(name) == format);
        }
    }
}

// A private directory for generated files, removed with everything in it.
struct temp_dir {
    fs::path path;

    temp_dir() {
        std::string pattern =
            (fs::temp_directory_path() / "docshift-test-XXXXXX").string();
        BOOST_TEST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~temp_dir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }

    fs::path write(const std::string& name, const std::string& bytes) const {
        const fs::path file = path / name;
        std::ofstream(file, std::ios::binary) << bytes;
        return file;
    }

    fs::path write_zip(
        const std::string& name,
        const std::vector<std::pair<std::string, std::string>>& entries) const {
        const fs::path file = path / name;
        int error = 0;
        zip_t* archive =
            zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
        BOOST_TEST_REQUIRE(archive != nullptr);
        for (const auto& [entry, content] : entries) {
            zip_source_t* source =
                zip_source_buffer(archive, content.data(), content.size(), 0);
            BOOST_TEST_REQUIRE(
                zip_file_add(archive, entry.c_str(), source, 0) >= 0);
        }
        BOOST_TEST_REQUIRE(zip_close(archive) == 0);
        return file;
    }
};

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string random_bytes(std::size_t count) {
    std::mt19937 generator(20240601);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string bytes(count, '\0');
    for (char& c : bytes) {
        c = static_cast<char>(byte(generator));
    }
    return bytes;
}

void append_u16(std::string& out, std::uint16_t value) {
    out += static_cast<char>(value & 0xFF);
    out += static_cast<char>(value >> 8);
}

void append_u32(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) {
        out += static_cast<char>((value >> shift) & 0xFF);
    }
}

constexpr std::uint32_t cfb_end_of_chain = 0xFFFFFFFE;
constexpr std::uint32_t cfb_free = 0xFFFFFFFF;

// One 128-byte OLE2 directory entry for an empty stream or the root.
std::string cfb_entry(const std::string& name, std::uint8_t type,
                      std::uint32_t right, std::uint32_t child) {
    std::string entry;
    for (const char c : name) {
        append_u16(entry, static_cast<std::uint8_t>(c));
    }
    entry.resize(64, '\0');
    append_u16(entry, static_cast<std::uint16_t>((name.size() + 1) * 2));
    entry += static_cast<char>(type);
    entry += '\x01';  // black in the red-black tree
    append_u32(entry, cfb_free);
    append_u32(entry, right);
    append_u32(entry, child);
    entry.resize(116, '\0');
    append_u32(entry, cfb_end_of_chain);
    entry.resize(128, '\0');
    return entry;
}

// The smallest OLE2 compound file libmagic parses: a header, one FAT sector
// and one directory sector listing empty streams with the given names.
std::string build_ole2(const std::vector<std::string>& streams) {
    std::string file("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    file.resize(24, '\0');

    // Version 3, little-endian, 512-byte sectors, 64-byte mini sectors.
    for (const std::uint16_t field :
         std::initializer_list<std::uint16_t>{0x3E, 3, 0xFFFE, 9, 6}) {
        append_u16(file, field);
    }
    file.resize(44, '\0');

    // One FAT sector, the directory in sector 1, a 4 KiB mini stream
    // cutoff, and no mini FAT or extra FAT index sectors.
    for (const std::uint32_t field :
         {1u, 1u, 0u, 0x1000u, cfb_end_of_chain, 0u, cfb_end_of_chain, 0u}) {
        append_u32(file, field);
    }
    append_u32(file, 0);  // the FAT lives in sector 0
    file.resize(512, '\xFF');

    append_u32(file, 0xFFFFFFFD);        // sector 0 holds the FAT
    append_u32(file, cfb_end_of_chain);  // sector 1, the directory, ends
    file.resize(1024, '\xFF');

    file += cfb_entry("Root Entry", 5, cfb_free, 1);
    for (std::uint32_t i = 0; i < streams.size(); ++i) {
        const bool last = i + 1 == streams.size();
        file += cfb_entry(streams[i], 2, last ? cfb_free : i + 2, cfb_free);
    }
    file.resize(1536, '\0');
    return file;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(file_type)

BOOST_AUTO_TEST_CASE(detects_ooxml_files_in_corpus) {
    check_corpus({
        {"docx-footnotes.docx", file_format::docx},
        {"docx-odd-even-headers.docx", file_format::docx},
        {"docx-tables-nested-merged.docx", file_format::docx},
        {"docx-text-box.docx", file_format::docx},
        {"xlsx-embedded-picture.xlsx", file_format::xlsx},
        {"xlsx-merged-cells.xlsx", file_format::xlsx},
        {"pptx-charts.pptx", file_format::pptx},
        {"pptx-speaker-notes.pptx", file_format::pptx},
    });
}

BOOST_AUTO_TEST_CASE(detects_opendocument_files_in_corpus) {
    check_corpus({
        {"odt-annotations-sections.odt", file_format::odt},
        {"ods-merged-cells.ods", file_format::ods},
        {"odp-example.odp", file_format::odp},
    });
}

BOOST_AUTO_TEST_CASE(detects_ole2_office_files_in_corpus) {
    check_corpus({
        {"doc-word97-emphasis-table.doc", file_format::doc},
        {"xls-biff8-function-list.xls", file_format::xls},
        {"ppt-legacy-single-slide.ppt", file_format::ppt},
    });
}

BOOST_AUTO_TEST_CASE(detects_rtf_and_plain_text_in_corpus) {
    check_corpus({
        {"rtf-word-mac-3pages.rtf", file_format::rtf},
        {"csv-realdata-ks-1033.csv", file_format::text},
        {"md-markdown-testsuite.md", file_format::text},
        {"html-pandoc-reader-test.html", file_format::text},
    });
}

BOOST_AUTO_TEST_CASE(detects_damaged_and_encrypted_pdfs_in_corpus) {
    check_corpus({
        {"pdf-acroform-pdflatex.pdf", file_format::pdf},
        {"pdf-damaged-no-startxref.pdf", file_format::pdf},
        {"pdf-encrypted-userpw-aes256.pdf", file_format::pdf},
        {"pdf-multipage-word2010.pdf", file_format::pdf},
        {"pdf-scanned-no-text-layer.pdf", file_format::pdf},
    });
}

BOOST_AUTO_TEST_CASE(detects_images_in_corpus) {
    check_corpus({
        {"png-16bit-rgb.png", file_format::png},
        {"png-palette-trns.png", file_format::png},
        {"jpeg-cmyk.jpg", file_format::jpeg},
        {"jpeg-exif-orientation-6.jpg", file_format::jpeg},
        {"jpeg-progressive.jpg", file_format::jpeg},
        {"gif-animated.gif", file_format::gif},
        {"tiff-multipage-fax-g3.tif", file_format::tiff},
        {"webp-lossy-exif.webp", file_format::webp},
    });
}

BOOST_AUTO_TEST_CASE(reports_libmagic_media_type) {
    const auto sniffed = sniff_file(corpus_dir() / "docx-footnotes.docx");
    BOOST_TEST(sniffed.media_type ==
               "application/vnd.openxmlformats-officedocument."
               "wordprocessingml.document");
}

BOOST_FIXTURE_TEST_CASE(reports_zero_byte_file_as_empty, temp_dir) {
    BOOST_TEST(sniff_file(write("empty.docx", "")).format ==
               file_format::empty);
}

BOOST_FIXTURE_TEST_CASE(keeps_png_renamed_as_docx_as_png, temp_dir) {
    const auto png = read_bytes(corpus_dir() / "png-palette-trns.png");
    const auto sniffed = sniff_file(write("photo.docx", png));
    BOOST_TEST(sniffed.format == file_format::png);
    BOOST_TEST(sniffed.media_type == "image/png");
}

BOOST_FIXTURE_TEST_CASE(reports_zip_without_office_parts_as_zip, temp_dir) {
    const auto file =
        write_zip("archive.docx",
                  {{"data.bin", random_bytes(4096)}, {"notes.txt", "hello\n"}});
    BOOST_TEST(sniff_file(file).format == file_format::zip);
}

BOOST_FIXTURE_TEST_CASE(reports_ooxml_without_main_part_as_zip, temp_dir) {
    const auto file = write_zip(
        "parts.docx", {{"[Content_Types].xml", "<Types/>"}, {"a.xml", "<a/>"}});
    BOOST_TEST(sniff_file(file).format == file_format::zip);
}

BOOST_FIXTURE_TEST_CASE(detects_ooxml_regardless_of_entry_order, temp_dir) {
    const auto file = write_zip("late.xlsx", {{"xl/workbook.xml", "<w/>"},
                                              {"_rels/.rels", "<r/>"},
                                              {"[Content_Types].xml", "<T/>"}});
    BOOST_TEST(sniff_file(file).format == file_format::xlsx);
}

BOOST_FIXTURE_TEST_CASE(detects_odf_by_mimetype_entry_anywhere, temp_dir) {
    const auto file = write_zip(
        "late.odp",
        {{"content.xml", "<c/>"},
         {"mimetype", "application/vnd.oasis.opendocument.presentation"}});
    BOOST_TEST(sniff_file(file).format == file_format::odp);
}

BOOST_FIXTURE_TEST_CASE(reports_truncated_zip_as_unknown, temp_dir) {
    const auto docx = read_bytes(corpus_dir() / "docx-footnotes.docx");
    const auto file = write("cut.docx", docx.substr(0, docx.size() / 2));
    BOOST_TEST(sniff_file(file).format == file_format::unknown);
}

BOOST_FIXTURE_TEST_CASE(reports_binary_garbage_as_unknown, temp_dir) {
    const auto file = write("noise.doc", random_bytes(64 * 1024));
    BOOST_TEST(sniff_file(file).format == file_format::unknown);
}

BOOST_FIXTURE_TEST_CASE(rejects_latin1_text_as_not_utf8, temp_dir) {
    const auto sniffed = sniff_file(write("prices.csv", "caf\xE9,3.50\n"));
    BOOST_TEST(sniffed.format == file_format::unknown);
    BOOST_TEST(sniffed.media_type == "text/plain");
}

BOOST_FIXTURE_TEST_CASE(rejects_overlong_utf8_sequence, temp_dir) {
    const auto file = write("slash.csv", "a,\xC0\xAF,b\n");
    BOOST_TEST(sniff_file(file).format == file_format::unknown);
}

BOOST_FIXTURE_TEST_CASE(rejects_text_with_nul_byte, temp_dir) {
    const auto file = write("nul.csv", std::string("a,b\n\0c,d\n", 9));
    BOOST_TEST(sniff_file(file).format == file_format::unknown);
}

BOOST_FIXTURE_TEST_CASE(rejects_invalid_utf8_past_what_libmagic_reads,
                        temp_dir) {
    std::string rows;
    while (rows.size() < 9 * 1024 * 1024) {
        rows += "abcdefghij,klmnopqrstuvwxyz\n";
    }
    const auto sniffed = sniff_file(write("big.csv", rows + "caf\xE9\n"));
    BOOST_TEST(sniffed.format == file_format::unknown);
    BOOST_TEST(sniffed.media_type == "text/csv");
}

BOOST_FIXTURE_TEST_CASE(accepts_utf8_character_across_read_chunks, temp_dir) {
    // "é" starts on the last byte of the first 64 KiB, so it straddles a
    // boundary for every power-of-two chunk size up to that.
    const std::string text =
        std::string(65535, 'a') + "\xC3\xA9" + std::string(100, 'b') + "\n";
    BOOST_TEST(sniff_file(write("wide.txt", text)).format == file_format::text);
}

BOOST_FIXTURE_TEST_CASE(detects_pdf_header_after_leading_junk, temp_dir) {
    const std::string pdf =
        random_bytes(200) + "%PDF-1.4\n" + random_bytes(2000) + "\n%%EOF\n";
    BOOST_TEST(sniff_file(write("scan.pdf", pdf)).format == file_format::pdf);
}

BOOST_FIXTURE_TEST_CASE(detects_rtf_by_signature, temp_dir) {
    const auto file = write("memo.doc", "{\\rtf1\\ansi Hello\\par}\n");
    BOOST_TEST(sniff_file(file).format == file_format::rtf);
}

BOOST_FIXTURE_TEST_CASE(detects_password_protected_ooxml, temp_dir) {
    const auto file = write("secret.docx",
                            build_ole2({"EncryptionInfo", "EncryptedPackage"}));
    const auto sniffed = sniff_file(file);
    BOOST_TEST(sniffed.format == file_format::encrypted_office);
    BOOST_TEST(sniffed.media_type == "application/encrypted");
}

BOOST_FIXTURE_TEST_CASE(tells_ole2_word_from_excel_by_streams, temp_dir) {
    const auto word = write("a.doc", build_ole2({"WordDocument"}));
    const auto excel = write("b.xls", build_ole2({"Workbook"}));
    BOOST_TEST(sniff_file(word).format == file_format::doc);
    BOOST_TEST(sniff_file(excel).format == file_format::xls);
}

BOOST_FIXTURE_TEST_CASE(reports_other_ole2_as_unknown, temp_dir) {
    const auto file = write("other.doc", build_ole2({"Contents"}));
    BOOST_TEST(sniff_file(file).format == file_format::unknown);
}

BOOST_AUTO_TEST_CASE(throws_system_error_for_missing_file) {
    const fs::path missing = "/nonexistent/docshift/report.docx";
    try {
        sniff_file(missing);
        BOOST_FAIL("sniff_file did not throw");
    } catch (const std::system_error& e) {
        BOOST_TEST(e.code() ==
                   std::make_error_code(std::errc::no_such_file_or_directory));
        BOOST_TEST(std::string(e.what()) ==
                   "cannot open '/nonexistent/docshift/report.docx': "
                   "No such file or directory");
    }
}

BOOST_AUTO_TEST_CASE(names_formats_for_logs) {
    BOOST_TEST(docshift::format_name(file_format::docx) == "docx");
    BOOST_TEST(docshift::format_name(file_format::encrypted_office) ==
               "encrypted_office");
    BOOST_TEST(docshift::format_name(file_format::unknown) == "unknown");
}

BOOST_AUTO_TEST_CASE(gives_engines_a_matching_extension) {
    BOOST_TEST(docshift::format_extension(file_format::text) == "csv");
    BOOST_TEST(docshift::format_extension(file_format::ppt) == "ppt");
    BOOST_TEST(docshift::format_extension(file_format::jpeg) == "jpg");
    BOOST_TEST(docshift::format_extension(file_format::zip).empty());
    BOOST_TEST(
        docshift::format_extension(file_format::encrypted_office).empty());
}

// Regression: the worker's slots once shared one libmagic cookie and the
// process died of a double free when two results were checked at once.
BOOST_AUTO_TEST_CASE(sniffs_from_many_threads_at_once) {
    const std::pair<const char*, file_format> files[] = {
        {"docx-footnotes.docx", file_format::docx},
        {"pdf-multipage-word2010.pdf", file_format::pdf},
        {"png-palette-trns.png", file_format::png},
        {"csv-realdata-ks-1033.csv", file_format::text},
    };
    std::atomic<int> wrong = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) {
                const auto& [name, format] = files[(t + i) % 4];
                if (sniff_file(corpus_dir() / name).format != format) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    BOOST_TEST(wrong.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(image_header)

void check_header(const std::string& name, file_format format,
                  std::int64_t width, std::int64_t height, int frames) {
    BOOST_TEST_CONTEXT(name) {
        const auto header =
            docshift::read_image_header(corpus_dir() / name, format);
        BOOST_TEST_REQUIRE(header.has_value());
        BOOST_TEST(header->width == width);
        BOOST_TEST(header->height == height);
        BOOST_TEST(header->frames == frames);
    }
}

BOOST_AUTO_TEST_CASE(reads_sizes_of_corpus_images) {
    check_header("png-16bit-rgb.png", file_format::png, 290, 442, 1);
    check_header("png-palette-trns.png", file_format::png, 64, 64, 1);
    check_header("jpeg-exif-orientation-6.jpg", file_format::jpeg, 1800, 1200,
                 1);
    check_header("jpeg-progressive.jpg", file_format::jpeg, 256, 160, 1);
    check_header("jpeg-cmyk.jpg", file_format::jpeg, 100, 100, 1);
    check_header("webp-lossy-exif.webp", file_format::webp, 480, 360, 1);
}

BOOST_AUTO_TEST_CASE(counts_frames_of_gif_and_pages_of_tiff) {
    check_header("gif-animated.gif", file_format::gif, 245, 245, 42);
    check_header("tiff-multipage-fax-g3.tif", file_format::tiff, 1728, 2156, 3);
}

BOOST_FIXTURE_TEST_CASE(reads_claimed_size_of_pixel_bomb_without_decoding,
                        temp_dir) {
    // Signature, then an IHDR chunk claiming 60000 x 60000; no pixel data.
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    png += std::string("\0\0\xea\x60\0\0\xea\x60\x08\x02\0\0\0", 13);
    const auto header =
        docshift::read_image_header(write("bomb.png", png), file_format::png);
    BOOST_TEST_REQUIRE(header.has_value());
    BOOST_TEST(header->width == 60000);
    BOOST_TEST(header->height == 60000);
}

BOOST_FIXTURE_TEST_CASE(reports_truncated_header_as_missing, temp_dir) {
    const auto png = write("cut.png", std::string("\x89PNG\r\n\x1a\n", 8));
    BOOST_TEST(!docshift::read_image_header(png, file_format::png));
    const auto jpeg = write("cut.jpg", std::string("\xff\xd8\xff\xe0\0", 5));
    BOOST_TEST(!docshift::read_image_header(jpeg, file_format::jpeg));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pdf_info)

BOOST_AUTO_TEST_CASE(counts_pages_of_readable_pdf) {
    const auto info =
        docshift::read_pdf_info(corpus_dir() / "pdf-multipage-word2010.pdf");
    BOOST_TEST((info.state == docshift::pdf_state::readable));
    BOOST_TEST(info.pages == 19);
    BOOST_TEST(!info.repaired);
}

BOOST_AUTO_TEST_CASE(repairs_pdf_without_startxref) {
    const auto info =
        docshift::read_pdf_info(corpus_dir() / "pdf-damaged-no-startxref.pdf");
    BOOST_TEST((info.state == docshift::pdf_state::readable));
    BOOST_TEST(info.pages == 30);
    BOOST_TEST(info.repaired);
}

BOOST_FIXTURE_TEST_CASE(reports_garbage_after_header_as_damaged, temp_dir) {
    const auto info = docshift::read_pdf_info(
        write("broken.pdf", "%PDF-1.4\n" + random_bytes(4096)));
    BOOST_TEST((info.state == docshift::pdf_state::damaged));
}

BOOST_AUTO_TEST_SUITE_END()

#include "pdf_engine.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "json_text.hpp"
#include "log.hpp"
#include "pdf_info.hpp"
#include "zip_writer.hpp"

namespace docshift {

namespace {

const std::string qpdf = "/usr/bin/qpdf";
const std::string gs = "/usr/bin/gs";

// qpdf exits 3 when it succeeded with warnings, as after a repair.
constexpr int qpdf_warnings = 3;

// Ghostscript reads PostScript from this file before the document: it
// attaches the sRGB profile as the output intent PDF/A requires.
const std::filesystem::path srgb_profile =
    "/usr/share/color/icc/ghostscript/srgb.icc";
const char* const pdfa_prologue =
    "[/_objdef {docshift_icc} /type /stream /OBJ pdfmark\n"
    "[{docshift_icc} << /N 3 >> /PUT pdfmark\n"
    "[{docshift_icc} (/usr/share/color/icc/ghostscript/srgb.icc) (r) file "
    "/PUT pdfmark\n"
    "[/_objdef {docshift_intent} /type /dict /OBJ pdfmark\n"
    "[{docshift_intent} << /Type /OutputIntent /S /GTS_PDFA1 "
    "/DestOutputProfile {docshift_icc} /OutputConditionIdentifier (sRGB) "
    ">> /PUT pdfmark\n"
    "[{Catalog} << /OutputIntents [ {docshift_intent} ] >> /PUT pdfmark\n";

std::string numbered(const std::string& stem, std::size_t i,
                     const std::string& extension) {
    return stem + "-" + std::to_string(i + 1) + "." + extension;
}

std::filesystem::path clean_copy(const engine_request& request,
                                 const std::filesystem::path& input,
                                 std::size_t position) {
    const auto clean = request.work_dir / numbered("clean", position, "pdf");
    const int code =
        run_tool(request, {qpdf, "--decrypt", input.string(), clean.string()},
                 "this PDF is damaged beyond repair; export it again from the "
                 "program that made it",
                 {0, qpdf_warnings});
    if (code == qpdf_warnings) {
        log::info("pdf repaired", {{"input", position + 1}});
    }
    require_output(clean, "qpdf");
    return clean;
}

int page_count(const std::filesystem::path& pdf) {
    const auto info = read_pdf_info(pdf);
    if (info.state != pdf_state::readable) {
        throw conversion_error("bad_output",
                               "the engine wrote a PDF that cannot be read");
    }
    return info.pages;
}

bool has_visible_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::any_of(std::istreambuf_iterator<char>(in),
                       std::istreambuf_iterator<char>(), [](char c) {
                           return c != ' ' && c != '\n' && c != '\r' &&
                                  c != '\t' && c != '\f';
                       });
}

std::filesystem::path to_text(const engine_request& request,
                              const std::filesystem::path& pdf) {
    const auto text = request.out_dir / "result.txt";
    run_tool(request,
             {"/usr/bin/pdftotext", "-layout", "-enc", "UTF-8", pdf.string(),
              text.string()},
             "pdftotext could not read the text of this PDF");
    require_output(text, "pdftotext");
    if (!has_visible_text(text)) {
        throw conversion_error(
            "no_text",
            "this PDF has no text to extract: its pages are blank or are "
            "pictures of text, as in a scan; to get the text of a scan, run "
            "it through text recognition (OCR) first");
    }
    return text;
}

// The page images pdftoppm wrote, in page order: its numbers are padded to
// one width, so name order is page order.
std::vector<std::filesystem::path> page_files(
    const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> pages;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        pages.push_back(entry.path());
    }
    std::ranges::sort(pages);
    return pages;
}

// "page-07.jpg": numbers are padded to the width of the last one, so that
// file managers list the pages in order.
std::string page_name(std::size_t i, std::size_t count,
                      const std::string& extension) {
    const auto number = std::to_string(i + 1);
    const auto width = std::to_string(count).size();
    return "page-" + std::string(width - number.size(), '0') + number + "." +
           extension;
}

std::filesystem::path to_images(const engine_request& request,
                                const std::filesystem::path& pdf) {
    const bool jpeg = request.options.at("format") == "jpeg";
    const auto pages_dir = request.work_dir / "pages";
    std::filesystem::create_directory(pages_dir);
    run_tool(
        request,
        {"/usr/bin/pdftoppm", "-r", request.options.at("dpi"),
         jpeg ? "-jpeg" : "-png", pdf.string(), (pages_dir / "page").string()},
        "pdftoppm could not render the pages of this PDF");

    const auto pages = page_files(pages_dir);
    const int expected = page_count(pdf);
    if (static_cast<int>(pages.size()) != expected) {
        throw conversion_error(
            "bad_output", "pdftoppm rendered " + std::to_string(pages.size()) +
                              " of the " + std::to_string(expected) +
                              " pages; the PDF may be damaged");
    }
    for (const auto& page : pages) {
        require_output(page, "pdftoppm");
    }
    if (pages.size() == 1) {
        return pages.front();
    }

    const auto zip = request.out_dir / "pages.zip";
    std::vector<zip_entry> entries;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        entries.push_back(
            {pages[i], page_name(i, pages.size(), jpeg ? "jpg" : "png")});
    }
    write_zip(zip, entries);
    return zip;
}

std::filesystem::path merge(const engine_request& request,
                            const std::vector<std::filesystem::path>& pdfs) {
    const auto merged = request.out_dir / "merged.pdf";
    std::vector<std::string> argv = {qpdf, "--empty", "--pages"};
    int expected = 0;
    for (const auto& pdf : pdfs) {
        argv.push_back(pdf.string());
        expected += page_count(pdf);
    }
    argv.push_back("--");
    argv.push_back(merged.string());
    run_tool(request, argv, "qpdf could not merge these PDFs",
             {0, qpdf_warnings});
    require_output(merged, "qpdf");

    if (const int pages = page_count(merged); pages != expected) {
        throw conversion_error(
            "bad_output", "the merged PDF has " + std::to_string(pages) +
                              " pages instead of " + std::to_string(expected));
    }
    return merged;
}

std::vector<std::string> ghostscript(const std::filesystem::path& output) {
    return {gs,
            "-q",
            "-dSAFER",
            "-dBATCH",
            "-dNOPAUSE",
            "-sDEVICE=pdfwrite",
            "-sOutputFile=" + output.string()};
}

std::string quality_setting(const std::string& quality) {
    if (quality == "low") {
        return "/screen";
    }
    return quality == "high" ? "/printer" : "/ebook";
}

// Whether the PDF has an interactive form with at least one field, as
// qpdf's JSON report of the file says.
bool has_form(const engine_request& request, const std::filesystem::path& pdf) {
    const auto report = request.work_dir / "form.json";
    run_tool(request,
             {qpdf, "--json=2", "--json-key=acroform", pdf.string(),
              report.string()},
             "qpdf could not read the form of this PDF", {0, qpdf_warnings});
    require_output(report, "qpdf");

    std::ifstream in(report, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in),
                           std::istreambuf_iterator<char>()};
    const auto form = parse_json_text(text, "qpdf form report")["acroform"];
    return form["hasacroform"].asBool() && !form["fields"].empty();
}

// Ghostscript rewrites the whole document and drops its form, so a form is
// compressed by qpdf instead: losslessly, packing objects into compressed
// streams and deflating every stream again at the highest level.
void compress_keeping_form(const engine_request& request,
                           const std::filesystem::path& pdf,
                           const std::filesystem::path& compressed) {
    run_tool(request,
             {qpdf, "--object-streams=generate", "--compress-streams=y",
              "--recompress-flate", "--compression-level=9", pdf.string(),
              compressed.string()},
             "qpdf could not compress this PDF", {0, qpdf_warnings});
    require_output(compressed, "qpdf");
}

void compress_with_ghostscript(const engine_request& request,
                               const std::filesystem::path& pdf,
                               const std::filesystem::path& compressed) {
    auto argv = ghostscript(compressed);
    argv.push_back("-dPDFSETTINGS=" +
                   quality_setting(request.options.at("quality")));
    argv.push_back(pdf.string());
    run_tool(request, argv, "Ghostscript could not compress this PDF");
    require_output(compressed, "Ghostscript");
}

// Returns the original when the engine could not make it smaller: a
// compressed file is never larger than what was uploaded.
std::filesystem::path compress(const engine_request& request,
                               const std::filesystem::path& original,
                               const std::filesystem::path& pdf) {
    const auto compressed = request.out_dir / "compressed.pdf";
    const bool form = has_form(request, pdf);
    if (form) {
        compress_keeping_form(request, pdf, compressed);
    } else {
        compress_with_ghostscript(request, pdf, compressed);
    }
    page_count(compressed);

    const auto before = std::filesystem::file_size(original);
    const auto after = std::filesystem::file_size(compressed);
    log::info("pdf compressed", {{"engine", form ? "qpdf" : "ghostscript"},
                                 {"before", before},
                                 {"after", after}});
    return after < before ? compressed : original;
}

// Ghostscript's PDF/A output has no form: each field's appearance, with
// its value, is drawn into the page and can no longer be filled in.
std::filesystem::path to_pdfa(const engine_request& request,
                              const std::filesystem::path& pdf) {
    const auto prologue = request.work_dir / "pdfa.ps";
    std::ofstream(prologue) << pdfa_prologue;

    const auto archival = request.out_dir / "archival.pdf";
    auto argv = ghostscript(archival);
    argv.insert(argv.end(), {"-dPDFA=2", "-dPDFACompatibilityPolicy=1",
                             "-sColorConversionStrategy=RGB",
                             "--permit-file-read=" + srgb_profile.string(),
                             prologue.string(), pdf.string()});
    run_tool(request, argv, "Ghostscript could not turn this PDF into PDF/A");
    require_output(archival, "Ghostscript");
    const int pages = page_count(archival);
    if (pages != page_count(pdf)) {
        throw conversion_error(
            "bad_output",
            "the PDF/A file lost pages; it has " + std::to_string(pages));
    }
    return archival;
}

}  // namespace

std::filesystem::path convert_pdf(const engine_request& request) {
    std::vector<std::filesystem::path> clean;
    for (std::size_t i = 0; i < request.inputs.size(); ++i) {
        clean.push_back(clean_copy(request, request.inputs[i], i));
    }

    switch (request.conv->engine) {
        case engine_kind::pdf_text:
            return to_text(request, clean.front());
        case engine_kind::pdf_images:
            return to_images(request, clean.front());
        case engine_kind::pdf_merge:
            return merge(request, clean);
        case engine_kind::pdf_compress:
            return compress(request, request.inputs.front(), clean.front());
        case engine_kind::pdf_archive:
            return to_pdfa(request, clean.front());
        default:
            throw std::logic_error("not a PDF engine: " + request.conv->id);
    }
}

}  // namespace docshift

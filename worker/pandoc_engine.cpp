#include "pandoc_engine.hpp"

#include <fstream>

namespace docshift {

namespace {

const std::string pandoc = "/usr/bin/pandoc";

// Writers would fetch images to embed them, from disk or from anywhere a
// URL points; raw HTML and TeX would pass through to the result.
const char* const safety_filter =
    "function Image(image) return pandoc.Span(image.caption) end\n"
    "function RawInline() return {} end\n"
    "function RawBlock() return {} end\n";

std::string reader_of(const std::filesystem::path& input) {
    const auto extension = input.extension().string();
    return extension == ".html" || extension == ".htm" ? "html" : "markdown";
}

// The document as pandoc's JSON tree, read with no access to anything but
// the input.
std::filesystem::path read_document(const engine_request& request) {
    const auto& input = request.inputs.front();
    const auto tree = request.work_dir / "document.json";
    run_tool(request,
             {pandoc, "--sandbox", "--from", reader_of(input), "--to", "json",
              "--output", tree.string(), input.string()},
             "pandoc could not read this document");
    require_output(tree, "pandoc");
    return tree;
}

std::filesystem::path write_document(const engine_request& request,
                                     const std::filesystem::path& tree,
                                     const std::string& writer,
                                     const std::filesystem::path& output) {
    const auto filter = request.work_dir / "safety.lua";
    std::ofstream(filter) << safety_filter;

    std::vector<std::string> argv = {
        pandoc,         "--from",        "json",     "--to",         writer,
        "--lua-filter", filter.string(), "--output", output.string()};
    if (writer == "html5") {
        // The engine never learns the user's file name, so the page gets
        // a plain title unless the document sets its own.
        argv.insert(argv.end(),
                    {"--standalone", "--metadata", "pagetitle=Document"});
    }
    argv.push_back(tree.string());
    run_tool(request, argv, "pandoc could not write this document");
    require_output(output, "pandoc");
    return output;
}

}  // namespace

std::filesystem::path convert_markup(const engine_request& request,
                                     office_engine& office) {
    const auto tree = read_document(request);
    const auto& extension = request.conv->output_extension;
    if (extension == "docx") {
        return write_document(request, tree, "docx",
                              request.out_dir / "result.docx");
    }
    if (extension == "html") {
        return write_document(request, tree, "html5",
                              request.out_dir / "result.html");
    }

    const auto odt =
        write_document(request, tree, "odt", request.work_dir / "document.odt");
    return office.convert(odt, "pdf", request.out_dir, request.display_stem,
                          request.tick);
}

}  // namespace docshift

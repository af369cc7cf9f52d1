#include "image_engine.hpp"

#include "file_type.hpp"
#include "image_header.hpp"
#include "pdf_info.hpp"

namespace docshift {

namespace {

const std::string vips = "/usr/bin/vips";

int frames_of(const std::filesystem::path& image) {
    const auto header = read_image_header(image, sniff_file(image).format);
    return header ? header->frames : 1;
}

std::filesystem::path to_pdf(const engine_request& request) {
    const auto pdf = request.out_dir / "images.pdf";
    std::vector<std::string> argv = {"/usr/bin/img2pdf", "--output",
                                     pdf.string()};
    int frames = 0;
    for (const auto& input : request.inputs) {
        argv.push_back(input.string());
        frames += frames_of(input);
    }
    run_tool(request, argv,
             "img2pdf could not place these images in a PDF; one of them "
             "may be damaged");
    require_output(pdf, "img2pdf");

    const auto info = read_pdf_info(pdf);
    if (info.state != pdf_state::readable || info.pages != frames) {
        throw conversion_error("bad_output",
                               "the PDF has " + std::to_string(info.pages) +
                                   " pages but the images hold " +
                                   std::to_string(frames) + " frames");
    }
    return pdf;
}

// The first frame, turned upright, saved in the chosen format. JPEG has no
// transparency, so transparent areas become white rather than black.
std::filesystem::path convert_format(const engine_request& request) {
    const auto upright = request.work_dir / "upright.v";
    run_tool(
        request,
        {vips, "autorot", request.inputs.front().string(), upright.string()},
        "libvips could not read this image; it may be damaged");

    const auto extension = output_extension(*request.conv, request.options);
    const auto result = request.out_dir / ("result." + extension);
    if (extension == "jpg") {
        // The saver flattens any alpha onto the background it is given.
        run_tool(request,
                 {vips, "jpegsave", upright.string(), result.string(), "--Q",
                  "90", "--background", "255"},
                 "libvips could not write this image as JPEG");
    } else {
        run_tool(request, {vips, "copy", upright.string(), result.string()},
                 "libvips could not write this image as " + extension);
    }
    require_output(result, "libvips");
    return result;
}

}  // namespace

std::filesystem::path convert_images(const engine_request& request) {
    if (request.conv->engine == engine_kind::images_pdf) {
        return to_pdf(request);
    }
    return convert_format(request);
}

}  // namespace docshift

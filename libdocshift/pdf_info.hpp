// What a PDF holds, read with libqpdf before any job exists: whether it
// opens without a password, how many pages it has and how large they are.
#pragma once

#include <filesystem>
#include <string>

namespace docshift {

enum class pdf_state {
    readable,   // opens, perhaps after qpdf rebuilt a damaged cross-reference
    encrypted,  // needs a user password to open
    damaged,    // beyond what qpdf can repair
};

struct pdf_info {
    pdf_state state = pdf_state::damaged;
    int pages = 0;
    // The largest page's width x height in points, for raster limits.
    double largest_page_area = 0;
    bool repaired = false;  // qpdf had to recover the structure
    std::string problem;    // what qpdf reported, for logs
};

// Never throws for a bad PDF: that is reported in the state.
pdf_info read_pdf_info(const std::filesystem::path& path);

}  // namespace docshift

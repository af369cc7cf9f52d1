// libqpdf opens the file as every engine later will: an encrypted file
// fails with a password error, a damaged one is recovered when possible.
#include "pdf_info.hpp"

// Opts in to the smart pointers qpdf uses from version 11 on.
#define POINTERHOLDER_TRANSITION 4
#include <algorithm>
#include <cmath>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

namespace docshift {

namespace {

double page_area(QPDFPageObjectHelper& page) {
    auto box = page.getMediaBox(false);
    if (!box.isRectangle()) {
        return 0;
    }
    const auto rect = box.getArrayAsRectangle();
    double area =
        std::fabs(rect.urx - rect.llx) * std::fabs(rect.ury - rect.lly);

    // UserUnit scales every unit of the page beyond 1/72 inch.
    auto unit = page.getObjectHandle().getKey("/UserUnit");
    if (unit.isNumber()) {
        area *= unit.getNumericValue() * unit.getNumericValue();
    }
    return area;
}

}  // namespace

pdf_info read_pdf_info(const std::filesystem::path& path) {
    pdf_info info;
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        pdf.processFile(path.c_str());

        auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
        info.pages = static_cast<int>(pages.size());
        for (auto& page : pages) {
            info.largest_page_area =
                std::max(info.largest_page_area, page_area(page));
        }
        info.repaired = pdf.anyWarnings();
        info.state = info.pages > 0 ? pdf_state::readable : pdf_state::damaged;
        if (info.pages == 0) {
            info.problem = "no pages";
        }
    } catch (const QPDFExc& e) {
        info.state = e.getErrorCode() == qpdf_e_password ? pdf_state::encrypted
                                                         : pdf_state::damaged;
        info.problem = e.what();
    } catch (const std::exception& e) {
        info.state = pdf_state::damaged;
        info.problem = e.what();
    }
    return info;
}

}  // namespace docshift

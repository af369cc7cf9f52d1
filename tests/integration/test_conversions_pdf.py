"""PDF conversions through the real stack: text, page images, merging,
compression and PDF/A, and the PDFs refused before any job exists."""

import io
import json
import re
import subprocess
import zipfile

from conftest import pdf_pages, pdf_text
from samples import (centre, encrypt_pdf, is_close, make_pdf, open_image,
                     pdf_file, png_claiming)

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def failed_job(client, conversion, files, fields=None):
    created = client.upload(conversion, files, fields)
    assert created.status == 201, created.body
    job = client.wait_for_job(created.json()["id"])
    assert job["status"] == "failed", job
    return job


NO_TEXT = ("this PDF has no text to extract: its pages are blank or are "
           "pictures of text, as in a scan; to get the text of a scan, run "
           "it through text recognition (OCR) first")


def form_pdf(value):
    """A one-page PDF with a fillable text field 'name' holding `value`,
    drawn by the field's own appearance stream, as form editors save it."""
    appearance = f"/Tx BMC BT /F1 12 Tf 2 6 Td ({value}) Tj ET EMC".encode()
    content = b"BT /F1 18 Tf 72 700 Td (Name:) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] "
        b"/DR << /Font << /F1 3 0 R >> >> /DA (/F1 12 Tf 0 g) >> >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R "
        b"/Annots [5 0 R] >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /F 4 "
        b"/V (" + value.encode() + b") /DA (/F1 12 Tf 0 g) "
        b"/Rect [150 690 400 715] /P 4 0 R /AP << /N 6 0 R >> >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 250 25] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n"
        % len(appearance) + appearance + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content
        + b"\nendstream",
    ]
    return pdf_file(objects, 1)


def pdf_form_type(data, tmp_path):
    """What pdfinfo says of the PDF's form: 'AcroForm', 'XFA' or 'none'."""
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True,
                          capture_output=True, text=True).stdout
    return re.search(r"^Form:\s+(\S+)$", info, re.MULTILINE).group(1)


def pdf_fields(data, tmp_path):
    """The PDF's form fields as {full name: value}, read by qpdf."""
    path = tmp_path / "fields.pdf"
    path.write_bytes(data)
    report = subprocess.run(
        ["qpdf", "--json=2", "--json-key=acroform", str(path)],
        check=True, capture_output=True, text=True).stdout
    return {field["fullname"]: field["value"]
            for field in json.loads(report)["acroform"]["fields"]}


def test_pdf_to_text_keeps_layout_of_columns(client, tmp_path):
    pdf = make_pdf([{"lines": [(72, 700, "Left column"),
                               (350, 700, "Right column"),
                               (350, 670, "Under the right")]}])
    job, result = client.convert("pdf_to_text", [("columns.pdf", pdf)])
    assert job["output"]["name"] == "columns.txt"
    assert result.headers["Content-Type"].startswith("text/plain")
    lines = [l for l in result.body.decode().splitlines() if l.strip()]
    assert re.fullmatch(r"Left column\s{2,}Right column", lines[0].strip())
    # The lone line keeps its place under the right column.
    right = lines[0].index("Right")
    assert lines[1].index("Under") == right


def test_pdf_to_text_reads_real_multipage_document(client):
    _, result = client.convert(
        "pdf_to_text", [("model.pdf", corpus_file("pdf-multipage-word2010.pdf"))])
    text = result.body.decode()
    assert "National Hydro Network, Canada, Level 1" in text
    assert "Ressources naturelles Canada" in text
    assert text.count("\f") == 19


def test_pdf_to_text_repairs_damaged_cross_reference(client):
    _, result = client.convert(
        "pdf_to_text",
        [("damaged.pdf", corpus_file("pdf-damaged-no-startxref.pdf"))])
    text = result.body.decode()
    assert "Potato 0" in text and "Potato 2" in text
    assert text.count("\f") == 30


def test_pdf_to_text_fails_clearly_on_scan_without_text(client):
    job = failed_job(
        client, "pdf_to_text",
        [("scan.pdf", corpus_file("pdf-scanned-no-text-layer.pdf"))])
    assert job["error"]["code"] == "no_text"
    assert job["error"]["message"] == NO_TEXT


def test_pdf_to_text_of_blank_pages_does_not_call_them_a_scan(client):
    job = failed_job(client, "pdf_to_text",
                     [("blank.pdf", make_pdf([{}, {}]))])
    assert job["error"] == {"code": "no_text", "message": NO_TEXT}


def test_pdf_to_images_zips_one_png_per_page(client):
    pdf = make_pdf([{"fill": (1, 0, 0)}, {"fill": (0, 0, 1)},
                    {"fill": (1, 0, 0)}])
    job, result = client.convert("pdf_to_images", [("three.pdf", pdf)],
                                 {"dpi": "72"})
    assert job["output"]["name"] == "three.zip"
    assert result.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.body))
    assert archive.namelist() == ["page-1.png", "page-2.png", "page-3.png"]
    colours = []
    for name in archive.namelist():
        image = open_image(archive.read(name))
        assert image.format == "PNG"
        assert image.size == (612, 792)
        colours.append(centre(image.convert("RGB")))
    assert is_close(colours[0], RED)
    assert is_close(colours[1], BLUE)
    assert is_close(colours[2], RED)


def test_pdf_to_images_pads_page_numbers_to_sort_in_order(client):
    pdf = make_pdf([{"fill": (1, 0, 0)}] * 9 + [{"fill": (0, 0, 1)}])
    _, result = client.convert("pdf_to_images", [("ten.pdf", pdf)],
                               {"format": "jpeg", "dpi": "36"})
    archive = zipfile.ZipFile(io.BytesIO(result.body))
    assert archive.namelist() == [f"page-{n:02}.jpg" for n in range(1, 11)]
    last = open_image(archive.read("page-10.jpg")).convert("RGB")
    assert is_close(centre(last), BLUE)


def test_pdf_to_images_gives_single_jpeg_for_one_page(client):
    pdf = make_pdf([{"fill": (0, 0, 1)}])
    job, result = client.convert("pdf_to_images", [("one.pdf", pdf)],
                                 {"format": "jpeg", "dpi": "100"})
    assert job["output"]["name"] == "one.jpg"
    assert job["options"] == {"format": "jpeg", "dpi": "100"}
    assert result.headers["Content-Type"] == "image/jpeg"
    image = open_image(result.body)
    assert image.format == "JPEG"
    assert image.size == (850, 1100)
    assert is_close(centre(image.convert("RGB")), BLUE)


def test_pdf_to_images_refuses_bad_dpi(client):
    response = client.upload("pdf_to_images", [("a.pdf", make_pdf(["x"]))],
                             {"dpi": "2000"})
    assert response.status == 422
    assert response.error_code == "bad_option"
    assert "'dpi'" in response.json()["error"]["message"]


def test_pdf_to_images_refuses_unknown_option(client):
    response = client.upload("pdf_to_images", [("a.pdf", make_pdf(["x"]))],
                             {"quality": "high"})
    assert response.status == 422
    assert response.error_code == "unknown_option"
    assert "'quality'" in response.json()["error"]["message"]


def test_pdf_to_images_refuses_page_too_large_for_the_dpi(client):
    poster = make_pdf(["huge"], size=(14400, 14400))
    response = client.upload("pdf_to_images", [("poster.pdf", poster)])
    assert response.status == 413
    assert response.error_code == "page_too_large"


def test_pdf_merge_keeps_upload_order(client, tmp_path):
    files = [("c-first.pdf", make_pdf(["Alpha one"])),
             ("a-second.pdf", make_pdf(["Bravo one", "Bravo two"])),
             ("b-third.pdf", make_pdf(["Charlie one", "Charlie two",
                                       "Charlie three"]))]
    job, result = client.convert("pdf_merge", files)
    assert job["output"]["name"] == "c-first-merged.pdf"
    assert pdf_pages(result.body, tmp_path) == 6
    words = re.findall(r"(Alpha|Bravo|Charlie) (\w+)",
                       pdf_text(result.body, tmp_path))
    assert [" ".join(w) for w in words] == [
        "Alpha one", "Bravo one", "Bravo two", "Charlie one", "Charlie two",
        "Charlie three"]


def test_pdf_merge_takes_damaged_and_owner_restricted_files(client, tmp_path):
    restricted = encrypt_pdf(make_pdf(["Restricted page"]), tmp_path, "",
                             "owner-secret")
    files = [("damaged.pdf", corpus_file("pdf-damaged-no-startxref.pdf")),
             ("restricted.pdf", restricted)]
    _, result = client.convert("pdf_merge", files)
    assert pdf_pages(result.body, tmp_path) == 31
    assert "Restricted page" in pdf_text(result.body, tmp_path)


def test_pdf_merge_needs_two_files(client):
    response = client.upload("pdf_merge", [("one.pdf", make_pdf(["x"]))])
    assert response.status == 400
    assert response.error_code == "too_few_files"


def test_pdf_merge_takes_at_most_twenty_files(client):
    pdf = make_pdf(["x"])
    response = client.upload("pdf_merge",
                             [(f"{i}.pdf", pdf) for i in range(21)])
    assert response.status == 400
    assert response.error_code == "too_many_files"


def test_pdf_compress_shrinks_real_document(client, tmp_path):
    original = corpus_file("pdf-multipage-word2010.pdf")
    job, result = client.convert("pdf_compress", [("model.pdf", original)],
                                 {"quality": "low"})
    assert len(result.body) < len(original)
    assert job["output"]["size"] == len(result.body)
    assert pdf_pages(result.body, tmp_path) == 19
    assert "National Hydro Network" in pdf_text(result.body, tmp_path)


def test_pdf_compress_never_returns_a_bigger_file(client):
    # Already minimal: Ghostscript's rewrite only adds to it.
    original = make_pdf(["Tiny"])
    _, result = client.convert("pdf_compress", [("tiny.pdf", original)])
    assert result.body == original


def test_pdf_compress_keeps_the_form_of_a_real_fillable_pdf(client, tmp_path):
    original = corpus_file("pdf-acroform-pdflatex.pdf")
    assert pdf_form_type(original, tmp_path) == "AcroForm"
    _, result = client.convert("pdf_compress", [("form.pdf", original)],
                               {"quality": "low"})
    assert len(result.body) < len(original)
    assert pdf_form_type(result.body, tmp_path) == "AcroForm"
    assert pdf_fields(result.body, tmp_path) == pdf_fields(original, tmp_path)
    assert pdf_pages(result.body, tmp_path) == 1


def test_pdf_compress_keeps_the_values_of_form_fields(client, tmp_path):
    original = form_pdf("Ada Lovelace")
    _, result = client.convert("pdf_compress", [("filled.pdf", original)])
    assert pdf_form_type(result.body, tmp_path) == "AcroForm"
    assert pdf_fields(result.body, tmp_path) == {"name": "u:Ada Lovelace"}


def test_pdf_to_pdfa_flattens_form_fields_into_the_page(client, tmp_path):
    # PDF/A from Ghostscript cannot hold a form: the value stays visible.
    original = form_pdf("Ada Lovelace")
    _, result = client.convert("pdf_to_pdfa", [("filled.pdf", original)])
    assert pdf_form_type(result.body, tmp_path) == "none"
    text = pdf_text(result.body, tmp_path)
    assert re.fullmatch(r"\s*Name:\s+Ada Lovelace\s*", text)


def test_pdf_to_pdfa_marks_part_2b_and_keeps_text(client, tmp_path):
    pdf = make_pdf(["Archive page one", "Archive page two"])
    _, result = client.convert("pdf_to_pdfa", [("report.pdf", pdf)])
    assert pdf_pages(result.body, tmp_path) == 2
    text = pdf_text(result.body, tmp_path)
    assert "Archive page one" in text and "Archive page two" in text
    # The XMP metadata names the part and conformance level.
    assert re.search(rb"pdfaid:part(>|=['\"])2", result.body)
    assert re.search(rb"pdfaid:conformance(>|=['\"])B", result.body)
    assert b"/OutputIntents" in result.body or b"OutputIntent" in result.body


def download_name(result):
    disposition = result.headers["Content-Disposition"]
    return re.search(r'filename="([^"]*)"', disposition).group(1)


def test_pdf_compress_result_never_takes_the_original_name(client):
    job, result = client.convert("pdf_compress",
                                 [("report.pdf", make_pdf(["Report"]))])
    assert job["output"]["name"] == "report-compressed.pdf"
    assert download_name(result) == "report-compressed.pdf"


def test_pdf_to_pdfa_result_never_takes_the_original_name(client):
    job, result = client.convert("pdf_to_pdfa",
                                 [("report.pdf", make_pdf(["Report"]))])
    assert job["output"]["name"] == "report-pdfa.pdf"
    assert download_name(result) == "report-pdfa.pdf"


def test_refuses_pdf_that_needs_a_password(client, tmp_path):
    locked = encrypt_pdf(make_pdf(["Secret"]), tmp_path, "user-pw", "owner-pw")
    response = client.upload("pdf_to_text", [("locked.pdf", locked)])
    assert response.status == 415
    assert response.error_code == "encrypted_file"


def test_converts_pdf_restricted_only_by_its_owner(client, tmp_path):
    restricted = encrypt_pdf(make_pdf(["Open to read"]), tmp_path, "", "owner")
    _, result = client.convert("pdf_to_text", [("r.pdf", restricted)])
    assert "Open to read" in result.body.decode()


def test_refuses_pdf_damaged_beyond_repair(client):
    broken = b"%PDF-1.4\n" + bytes(range(256)) * 8
    response = client.upload("pdf_to_text", [("broken.pdf", broken)])
    assert response.status == 415
    assert response.error_code == "damaged_file"


def test_refuses_png_named_as_pdf(client):
    response = client.upload("pdf_merge", [("a.pdf", make_pdf(["x"])),
                                           ("b.pdf", png_claiming(10, 10))])
    assert response.status == 415
    assert response.error_code == "type_mismatch"


def test_refuses_empty_pdf(client):
    response = client.upload("pdf_compress", [("empty.pdf", b"")])
    assert response.status == 400
    assert response.error_code == "empty_file"


def test_keeps_unusual_file_names_unchanged(client):
    name = "$(id) -rf 'quoted' Отчёт 報告 e\u0301té.pdf"
    job, result = client.convert("pdf_to_text", [(name, make_pdf(["Named"]))])
    assert job["inputs"][0]["name"] == name
    assert job["output"]["name"] == name[:-4] + ".txt"
    assert "Named" in result.body.decode()


def corpus_file(name):
    from conftest import CORPUS_DIR
    return (CORPUS_DIR / name).read_bytes()


def test_pdf_to_images_refuses_too_many_pages(client):
    response = client.upload("pdf_to_images",
                             [("long.pdf", make_pdf(["page"] * 201))])
    assert response.status == 413
    assert response.error_code == "too_many_pages"
    assert "201 pages" in response.json()["error"]["message"]

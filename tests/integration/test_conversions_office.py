"""Office conversions beyond PDF through the real stack: word-processing
round trips to .docx and .odt, plain text to PDF in many scripts, and
office files whose content does not match their name."""

import io
import zipfile

from conftest import CORPUS_DIR, pdf_pages, pdf_text
from samples import glyphs_without_font, ole2_with_streams


def corpus_file(name):
    return (CORPUS_DIR / name).read_bytes()


def zip_part(data, name):
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def test_document_to_docx_from_odt_keeps_text(client):
    job, result = client.convert(
        "document_to_docx",
        [("sections.odt", corpus_file("odt-annotations-sections.odt"))])
    assert job["output"]["name"] == "sections.docx"
    assert result.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    body = zip_part(result.body, "word/document.xml")
    assert "This is the first paragraph" in body
    assert "diacritical signs: éè" in body
    # Its comment too, converted by the warm engine, which comments once
    # brought down.
    assert "This is an annotation." in zip_part(result.body,
                                                "word/comments.xml")


def test_document_to_docx_from_docx_never_takes_the_original_name(client):
    job, result = client.convert(
        "document_to_docx", [("notes.docx", corpus_file("docx-footnotes.docx"))])
    assert job["output"]["name"] == "notes-converted.docx"
    assert 'filename="notes-converted.docx"' in (
        result.headers["Content-Disposition"])
    assert "A tachyon walks into a bar." in zip_part(result.body,
                                                    "word/footnotes.xml")


def test_document_to_docx_from_legacy_doc(client):
    _, result = client.convert(
        "document_to_docx",
        [("old.doc", corpus_file("doc-word97-emphasis-table.doc"))])
    assert "word/document.xml" in zipfile.ZipFile(
        io.BytesIO(result.body)).namelist()


def test_document_to_odt_keeps_footnotes(client):
    job, result = client.convert(
        "document_to_odt", [("notes.docx", corpus_file("docx-footnotes.docx"))])
    assert job["output"]["name"] == "notes.odt"
    assert zip_part(result.body, "mimetype") == (
        "application/vnd.oasis.opendocument.text")
    content = zip_part(result.body, "content.xml")
    assert "A tachyon walks into a bar." in content


def test_text_to_pdf_shows_every_script(client, tmp_path):
    lines = ["Latin: Hello world", "Cyrillic: Привет мир",
             "Greek: Καλημέρα κόσμε", "Arabic: مرحبا بالعالم",
             "Devanagari: नमस्ते दुनिया", "CJK: 你好世界 こんにちは 안녕하세요"]
    # Toto, a script no font of the setup covers: its boxes show that the
    # check below sees boxes at all.
    toto = "\U0001E290\U0001E291"
    _, result = client.convert(
        "document_to_pdf",
        [("scripts.txt", "\n".join(lines + [toto]).encode())])

    text = pdf_text(result.body, tmp_path)
    for mark in ("\u202a", "\u202b", "\u202c"):
        text = text.replace(mark, "")
    for line in lines:
        assert line in text
    # Every box of a font shares one glyph, which the PDF maps back to a
    # single character: the Toto line shows up as at least one of its own.
    boxes = {char for _, char in glyphs_without_font(result.body, tmp_path)}
    assert boxes
    assert boxes <= set(toto)


def test_refuses_plain_text_named_as_rtf(client):
    response = client.upload("document_to_pdf",
                             [("letter.rtf", b"Dear reader,\nhello.\n")])
    assert response.status == 415
    assert response.error_code == "type_mismatch"


def test_refuses_pdf_for_document_round_trip(client):
    response = client.upload(
        "document_to_odt",
        [("form.pdf", corpus_file("pdf-acroform-pdflatex.pdf"))])
    assert response.status == 415
    assert response.error_code == "unsupported_extension"


def test_wide_spreadsheet_keeps_every_column_on_its_page(client, tmp_path):
    columns = [f"column{i:02d}" for i in range(1, 61)]
    rows = [",".join(columns)] + [
        ",".join(str(r * 100 + c) for c in range(60)) for r in range(5)]
    _, result = client.convert("spreadsheet_to_pdf",
                               [("wide.csv", "\n".join(rows).encode())])
    assert pdf_pages(result.body, tmp_path) == 1
    header = next(line for line in pdf_text(result.body, tmp_path).splitlines()
                  if "column01" in line)
    assert header.split() == columns


def first_line(text):
    return next(line for line in text.splitlines() if line.strip()).strip()


def test_csv_sheet_header_shows_the_uploaded_name(client, tmp_path):
    # LibreOffice names a CSV file's sheet after the file, and the page
    # header shows it: the user's name, never the safe name on disk.
    _, result = client.convert(
        "spreadsheet_to_pdf",
        [("Kansas equipment 2006.csv",
          corpus_file("csv-realdata-ks-1033.csv"))])
    text = pdf_text(result.body, tmp_path)
    assert first_line(text) == "Kansas equipment 2006"
    assert "input-1" not in text


def test_csv_sheet_name_leaves_out_what_calc_forbids(client, tmp_path):
    _, result = client.convert(
        "spreadsheet_to_pdf",
        [("'Costs: Q1/Q2 [draft]?' and a long tail of words.csv",
          b"item,cost\npaper,12\n")])
    assert first_line(pdf_text(result.body, tmp_path)) == (
        "Costs_ Q1_Q2 _draft__' and a lo")


def test_refuses_password_protected_word_file(client):
    locked = ole2_with_streams(["EncryptionInfo", "EncryptedPackage"])
    response = client.upload("document_to_docx", [("locked.docx", locked)])
    assert response.status == 415
    assert response.error_code == "encrypted_file"

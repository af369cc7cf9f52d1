"""Office documents become PDFs through the whole stack: nginx, the FastCGI
pool, PostgreSQL, the worker and LibreOffice. Each result is checked by its
text, not just by its existence."""

import pytest

from conftest import RUN_DIR, pdf_pages, pdf_text

# (conversion, corpus file, words the PDF must contain, pages)
OFFICE_FILES = [
    ("document_to_pdf", "docx-tables-nested-merged.docx",
     ["Header Col 1", "Lorem ipsum", "Nested Table"], 1),
    ("document_to_pdf", "docx-footnotes.docx", ["Ouch"], 1),
    ("document_to_pdf", "doc-word97-emphasis-table.doc",
     ["bold-italic", "I am a normal text."], 1),
    ("document_to_pdf", "odt-annotations-sections.odt",
     ["odfdo Test Case Document", "diacritical signs: éè"], 1),
    ("document_to_pdf", "rtf-word-mac-3pages.rtf",
     ["I love word documents."], 3),
    ("spreadsheet_to_pdf", "xlsx-merged-cells.xlsx",
     ["Not Merged", "Row Merge", "Column Merge"], 1),
    ("spreadsheet_to_pdf", "xls-biff8-function-list.xls",
     ["AVERAGEIFS", "CUBEMEMBER"], None),
    ("spreadsheet_to_pdf", "ods-merged-cells.ods", ["Sheet1"], 1),
    ("spreadsheet_to_pdf", "csv-realdata-ks-1033.csv",
     ["ALLEN", "1005-00-073-9421"], None),
    ("presentation_to_pdf", "pptx-charts.pptx",
     ["Category 1", "Series 1"], 1),
    ("presentation_to_pdf", "ppt-legacy-single-slide.ppt",
     ["Adding a Bullet Slide", "Here is some text in a text box!"], 1),
    ("presentation_to_pdf", "odp-example.odp",
     ["Example odfdo project", "This is the second page"], 2),
]


@pytest.mark.parametrize(
    "conversion,name,words,pages", OFFICE_FILES,
    ids=[entry[1] for entry in OFFICE_FILES],
)
def test_office_file_becomes_pdf_with_its_text(
    client, corpus, tmp_path, conversion, name, words, pages
):
    job, download = client.convert(conversion, [(name, corpus(name))])

    assert download.body.startswith(b"%PDF-")
    assert download.headers["Content-Type"] == "application/pdf"
    assert job["output"]["size"] == len(download.body)
    text = " ".join(pdf_text(download.body, tmp_path).split())
    for word in words:
        assert word in text
    if pages is not None:
        assert pdf_pages(download.body, tmp_path) == pages


def worker_log_of(job_id):
    log = (RUN_DIR / "logs/worker.log").read_text()
    return [line for line in log.splitlines() if f"job={job_id} " in line]


def test_document_with_comments_converts_on_the_warm_engine(
    client, corpus, tmp_path
):
    # Giving such a document a view used to abort the warm soffice, which
    # left the file to a cold run and the slot to an engine restart.
    job, download = client.convert(
        "document_to_pdf",
        [("notes.odt", corpus("odt-annotations-sections.odt"))])
    text = " ".join(pdf_text(download.body, tmp_path).split())
    assert "This is the first paragraph." in text
    assert "First Title of the Second Section" in text
    lines = worker_log_of(job["id"])
    assert not [line for line in lines if "crashed" in line]
    done = [line for line in lines if "office engine done" in line]
    assert len(done) == 1 and "engine=warm" in done[0]


def test_result_keeps_a_utf8_file_name(client, corpus):
    name = "Relatório final ção.docx"
    job, download = client.convert(
        "document_to_pdf", [(name, corpus("docx-footnotes.docx"))]
    )

    assert job["inputs"] == [
        {"name": name, "size": len(corpus("docx-footnotes.docx"))}
    ]
    assert job["output"]["name"] == "Relatório final ção.pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition == (
        "attachment; filename=\"Relat_rio final __o.pdf\"; "
        "filename*=UTF-8''Relat%C3%B3rio%20final%20%C3%A7%C3%A3o.pdf"
    )


def test_job_moves_from_queued_to_succeeded_with_timestamps(client, corpus):
    created = client.upload(
        "document_to_pdf",
        [("a.docx", corpus("docx-tables-nested-merged.docx"))],
    )
    assert created.status == 201
    body = created.json()
    assert body["status"] == "queued"
    assert body["error"] is None and body["output"] is None
    assert created.headers["Location"] == f"/api/jobs/{body['id']}"

    job = client.wait_for_job(body["id"])
    assert job["status"] == "succeeded"
    assert job["attempts"] == 1
    assert body["created_at"] <= job["started_at"] <= job["finished_at"]
    assert job["expires_at"] > job["finished_at"]

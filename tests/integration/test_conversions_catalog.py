"""The catalog as GET /api/conversions shows it: every conversion, its
limits and its options, and option fields checked against it."""

from samples import make_pdf


def catalog(client):
    response = client.get("/api/conversions")
    assert response.status == 200
    return {c["id"]: c for c in response.json()["conversions"]}


def test_lists_every_conversion(client):
    assert sorted(catalog(client)) == sorted([
        "document_to_pdf", "spreadsheet_to_pdf", "presentation_to_pdf",
        "document_to_docx", "document_to_odt", "pdf_to_images", "pdf_to_text",
        "images_to_pdf", "image_convert", "markdown_to_pdf",
        "markdown_to_docx", "markdown_to_html", "html_to_pdf", "pdf_merge",
        "pdf_compress", "pdf_to_pdfa"])


def test_shows_options_with_types_bounds_and_defaults(client):
    entries = catalog(client)
    assert entries["pdf_to_images"]["options"] == [
        {"name": "format", "label": "Image format", "type": "enum",
         "values": ["png", "jpeg"], "default": "png"},
        {"name": "dpi", "label": "Resolution (dots per inch)",
         "type": "integer", "min": 36, "max": 600, "default": 150},
    ]
    assert entries["image_convert"]["options"][0]["values"] == [
        "png", "jpeg", "webp"]
    assert entries["pdf_to_text"]["options"] == []


def test_shows_file_counts_and_content_limits(client):
    entries = catalog(client)
    assert (entries["pdf_merge"]["min_files"],
            entries["pdf_merge"]["max_files"]) == (2, 20)
    assert entries["images_to_pdf"]["limits"]["max_image_pixels"] == 100000000
    assert entries["pdf_to_images"]["limits"] == {
        "max_pdf_pages": 200, "max_raster_pixels": 50000000}


def test_job_shows_options_with_defaults_filled_in(client):
    created = client.upload("pdf_to_images", [("a.pdf", make_pdf(["x"]))],
                            {"format": "jpeg"})
    assert created.status == 201, created.body
    assert created.json()["options"] == {"format": "jpeg", "dpi": "150"}
    # Leaves no job running behind for the tests that pause workers.
    assert client.wait_for_job(created.json()["id"])["status"] == "succeeded"


def test_refuses_option_sent_to_conversion_without_options(client):
    response = client.upload("pdf_to_text", [("a.pdf", make_pdf(["x"]))],
                             {"dpi": "150"})
    assert response.status == 422
    assert response.error_code == "unknown_option"
    assert response.json()["error"]["message"] == (
        "'dpi' is not an option of PDF to text, which takes no options")

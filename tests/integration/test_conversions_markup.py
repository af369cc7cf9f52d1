"""Markdown and HTML through the real stack: content kept, and nothing
fetched while rendering, neither local files nor any address a document
points at; remote images fall back to their description."""

import http.server
import io
import threading
import zipfile

import pytest

from conftest import CORPUS_DIR, pdf_text


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"FETCHED-FROM-LOCAL-SERVER")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A web server on the loopback interface that records every request,
    so a test can tell that nothing was fetched from it."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def hostile_markdown(base):
    return f"""# Quarterly Summary

Revenue grew in every region.

![remote chart described]({base}/chart.png)

![metadata picture](http://169.254.169.254/latest/meta-data/)

![password picture](file:///etc/passwd)

![share picture](\\\\localhost/etc/passwd)

<img src="file:///etc/passwd" alt="raw image">
<iframe src="{base}/frame"></iframe>

Привет мир and 你好世界.
""".encode()


def hostile_html(base):
    return f"""<!DOCTYPE html>
<html><head><title>Hostile</title>
<link rel="stylesheet" href="{base}/style.css">
<style>@import url("{base}/import.css");</style>
</head><body>
<h1>Quarterly Summary</h1>
<p>Revenue grew in every region.</p>
<img src="{base}/chart.png" alt="remote chart described">
<img src="file:///etc/passwd" alt="password picture">
<img src="http://169.254.169.254/latest/meta-data/" alt="metadata picture">
<iframe src="file:///etc/passwd"></iframe>
<object data="{base}/object"></object>
<p>Привет мир and 你好世界.</p>
</body></html>""".encode()


def assert_nothing_leaked(text):
    assert "root:x:0:0" not in text
    assert "FETCHED-FROM-LOCAL-SERVER" not in text
    assert _Recorder.hits == []


def assert_rendered_safely(text):
    """The hostile document's words all came through, and nothing it
    pointed at did."""
    assert "Quarterly Summary" in text
    assert "Revenue grew in every region." in text
    assert "remote chart described" in text
    assert "Привет мир and 你好世界." in text
    assert_nothing_leaked(text)


def test_markdown_to_html_keeps_content_and_fetches_nothing(client,
                                                           local_server):
    job, result = client.convert(
        "markdown_to_html", [("summary.md", hostile_markdown(local_server))])
    assert job["output"]["name"] == "summary.html"
    assert result.headers["Content-Type"].startswith("text/html")
    # An HTML result is a download, never sniffed or opened in the page.
    assert result.headers["Content-Disposition"].startswith("attachment;")
    assert result.headers["X-Content-Type-Options"] == "nosniff"
    assert result.headers["X-Client-Id"] == client.client_id
    html = result.body.decode()
    assert "<h1" in html and "Quarterly Summary" in html
    assert "remote chart described" in html
    assert "Привет мир and 你好世界." in html
    # Nothing in the page would make a browser fetch either.
    for marker in ("<img", "<iframe", "169.254", "file://", local_server):
        assert marker not in html
    assert_nothing_leaked(html)


def test_markdown_to_pdf_keeps_content_and_fetches_nothing(client, tmp_path,
                                                          local_server):
    _, result = client.convert(
        "markdown_to_pdf", [("summary.md", hostile_markdown(local_server))])
    text = pdf_text(result.body, tmp_path)
    assert_rendered_safely(text)


def test_markdown_to_docx_keeps_content_without_images(client, local_server):
    _, result = client.convert(
        "markdown_to_docx", [("summary.md", hostile_markdown(local_server))])
    archive = zipfile.ZipFile(io.BytesIO(result.body))
    body = archive.read("word/document.xml").decode()
    assert "Quarterly Summary" in body
    assert "remote chart described" in body
    assert not [n for n in archive.namelist() if n.startswith("word/media/")]
    assert_nothing_leaked(body)


def test_markdown_test_suite_to_pdf(client, tmp_path):
    _, result = client.convert(
        "markdown_to_pdf",
        [("suite.markdown",
          (CORPUS_DIR / "md-markdown-testsuite.md").read_bytes())])
    text = pdf_text(result.body, tmp_path)
    assert "Markdown Test Suite" in text or "Pandoc Test Suite" in text
    assert "Headers" in text


def test_html_to_pdf_renders_real_page(client, tmp_path):
    job, result = client.convert(
        "html_to_pdf",
        [("reader.htm",
          (CORPUS_DIR / "html-pandoc-reader-test.html").read_bytes())])
    assert job["output"]["name"] == "reader.pdf"
    text = pdf_text(result.body, tmp_path)
    assert "This is a set of tests for pandoc." in text
    assert "Level 2 with an embedded link" in text


def test_html_to_pdf_keeps_content_and_fetches_nothing(client, tmp_path,
                                                      local_server):
    _, result = client.convert(
        "html_to_pdf", [("hostile.html", hostile_html(local_server))])
    text = pdf_text(result.body, tmp_path)
    assert_rendered_safely(text)


def test_refuses_binary_named_as_markdown(client):
    response = client.upload("markdown_to_html",
                             [("notes.md", b"\x00\x01\x02binary\xff")])
    assert response.status == 415
    assert response.error_code == "type_mismatch"


def test_refuses_markdown_in_legacy_encoding(client):
    response = client.upload("markdown_to_pdf",
                             [("notes.md", "Café crème\n".encode("latin-1"))])
    assert response.status == 415
    assert response.error_code == "type_mismatch"

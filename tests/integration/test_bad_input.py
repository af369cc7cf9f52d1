"""Hostile and broken requests: each gets a clear error (or a job that
fails with a message), never a 500, a hang or a lost file."""

import hashlib
import io
import json
import os
import socket
import urllib.parse
import uuid
import zipfile

import pytest

from conftest import BASE_URL, RUN_DIR, Client, multipart, psql

URL = urllib.parse.urlsplit(BASE_URL)


def raw_request(data, read=True, timeout=30):
    """Sends bytes as they are over one connection; returns the status
    line's code and the whole answer."""
    with socket.create_connection((URL.hostname, URL.port),
                                  timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return None, b""
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


def docx_with_payload(payload):
    """A real OOXML word processing container with a binary part inside."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0"?><w:document xmlns:w="http://'
                   'schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   "<w:body/></w:document>")
        z.writestr("word/media/blob.bin", payload)
    return out.getvalue()


def rows_of(client_id):
    return psql("SELECT id FROM document_jobs"
                f" WHERE client_id = '{client_id}'")


def post_parts(client, parts, boundary="b0undary"):
    """Posts a multipart body built part by part, so a test can send what
    a well-behaved client never would. Each part is (its header lines, as
    text or as bytes, its bytes)."""
    body = b"".join(
        f"--{boundary}\r\n".encode()
        + (head.encode() if isinstance(head, str) else head)
        + b"\r\n\r\n" + data + b"\r\n"
        for head, data in parts) + f"--{boundary}--\r\n".encode()
    return client.request(
        "POST", "/api/jobs", body=body,
        headers={"Content-Type":
                 f'multipart/form-data; boundary="{boundary}"'})


def field(name, value):
    return (f'Content-Disposition: form-data; name="{name}"',
            value.encode())


def file_part(filename, data):
    return (f'Content-Disposition: form-data; name="file"; '
            f'filename="{filename}"', data)


def test_stored_upload_is_byte_for_byte_what_was_sent(client):
    data = docx_with_payload(os.urandom(3 * 1024 * 1024))
    created = client.upload("document_to_pdf", [("random.docx", data)])
    assert created.status == 201
    job_id = created.json()["id"]

    stored = RUN_DIR / "storage" / client.client_id / job_id / "input-1.docx"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == \
        hashlib.sha256(data).hexdigest()
    assert created.json()["inputs"][0]["size"] == len(data)
    client.delete(f"/api/jobs/{job_id}")


def test_body_shorter_than_its_content_length_creates_nothing(client):
    content_type, body = multipart(
        {"conversion": "document_to_pdf"},
        [("a.docx", docx_with_payload(b"x" * 1000))])
    head = (f"POST /api/jobs HTTP/1.1\r\nHost: {URL.netloc}\r\n"
            f"X-Client-Id: {client.client_id}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body) + 5000}\r\n\r\n").encode()
    # The client goes away midway: nginx waits, then gives up on it.
    raw_request(head + body, read=False)

    assert client.get("/api/health").status == 200
    assert rows_of(client.client_id) == []


def test_chunked_upload_is_accepted(client, corpus):
    content_type, body = multipart(
        {"conversion": "document_to_pdf"},
        [("chunked.docx", corpus("docx-footnotes.docx"))])
    chunks = b"".join(
        f"{len(body[i:i + 1000]):x}\r\n".encode() + body[i:i + 1000] + b"\r\n"
        for i in range(0, len(body), 1000)) + b"0\r\n\r\n"
    status, answer = raw_request(
        (f"POST /api/jobs HTTP/1.1\r\nHost: {URL.netloc}\r\n"
         f"X-Client-Id: {client.client_id}\r\nConnection: close\r\n"
         f"Content-Type: {content_type}\r\n"
         "Transfer-Encoding: chunked\r\n\r\n").encode() + chunks)

    assert status == 201, answer
    assert len(rows_of(client.client_id)) == 1


@pytest.mark.parametrize("boundary", [
    "x", "a" * 70, "a b'()+_,-./:=?", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
])
def test_odd_but_valid_boundaries_work(client, corpus, boundary):
    response = post_parts(
        client, [field("conversion", "document_to_pdf"),
                 file_part("a.docx", corpus("docx-footnotes.docx"))],
        boundary)

    assert response.status == 201, response.body


@pytest.mark.parametrize("content_type", [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/mixed; boundary=x",
    "text/plain",
])
def test_unusable_content_types_are_refused(client, content_type):
    response = client.request("POST", "/api/jobs", body=b"--x--\r\n",
                              headers={"Content-Type": content_type})

    assert response.status == 400
    assert response.error_code == "not_multipart"


def test_boundary_longer_than_70_characters_is_refused(client):
    boundary = "a" * 71
    response = client.request(
        "POST", "/api/jobs", body=f"--{boundary}--\r\n".encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    assert response.status == 400
    assert response.json()["error"] == {
        "code": "malformed_multipart",
        "message": "the multipart boundary in the Content-Type is 71 "
                   "characters long; RFC 2046 allows 1 to 70, so send a "
                   "shorter one"}


NOT_CUT_BY_ITS_BOUNDARY = (
    "the upload does not start with a line '--b0undary', the boundary its "
    "Content-Type names; send the parts between lines of that boundary")


@pytest.mark.parametrize("body,message", [
    (b"", "the upload is empty; send the form's parts, each after a line "
          "with the boundary the Content-Type names"),
    (b"\x00\xff garbage, no parts at all", NOT_CUT_BY_ITS_BOUNDARY),
    (b'--other\r\nContent-Disposition: form-data; name="conversion"\r\n'
     b"\r\ndocument_to_pdf\r\n--other--\r\n", NOT_CUT_BY_ITS_BOUNDARY),
], ids=["empty", "garbage", "other_boundary"])
def test_body_without_its_boundary_is_explained(client, body, message):
    response = client.request(
        "POST", "/api/jobs", body=body,
        headers={"Content-Type": "multipart/form-data; boundary=b0undary"})

    assert response.status == 400
    assert response.json()["error"] == {"code": "malformed_multipart",
                                        "message": message}
    assert rows_of(client.client_id) == []


def strict_json(response):
    """The body as JSON, read as a strict parser would: UTF-8 only."""
    assert response.headers["Content-Type"] == (
        "application/json; charset=utf-8")
    return json.loads(response.body.decode("utf-8", errors="strict"))


@pytest.mark.parametrize("fields,status,code,message", [
    ([(b"conversion", b"\xff\xfe")], 400, "unknown_conversion",
     "'\ufffd\ufffd' is not a conversion docshift offers"),
    ([(b"conversion", b"pdf_to_text\x00")], 400, "unknown_conversion",
     "'pdf_to_text\\u0000' is not a conversion docshift offers"),
    ([(b"conversion", b"pdf_to_text\r\n\x1b[2J")], 400, "unknown_conversion",
     "'pdf_to_text\\u000d\\u000a\\u001b[2J' is not a conversion docshift "
     "offers"),
    ([(b"conversion", "é".encode() * 40)], 400, "unknown_conversion",
     "'" + "é" * 32 + "...' is not a conversion docshift offers"),
    ([(b"conversion", b"pdf_to_images"), (b"dpi", b"\xc3\x28")], 422,
     "bad_option", None),
    ([(b"conversion", b"pdf_to_text"), (b"\xff\x00", b"x"),
      (b"\xff\x00", b"y")], 400, "repeated_field",
     "the field '\ufffd\\u0000' was sent twice"),
], ids=["ff_fe", "nul", "controls", "long_utf8", "dpi_c3_28",
        "field_name"])
def test_error_json_is_valid_utf8_whatever_the_field_bytes(
        client, fields, status, code, message):
    parts = [(b'Content-Disposition: form-data; name="' + name + b'"', value)
             for name, value in fields]
    response = post_parts(client, parts)
    error = strict_json(response)["error"]

    assert (response.status, error["code"]) == (status, code)
    if message is not None:
        assert error["message"] == message
    else:
        assert "'\ufffd('" in error["message"]


def test_repeated_conversion_field_is_refused(client):
    response = post_parts(client, [field("conversion", "document_to_pdf"),
                                   field("conversion", "spreadsheet_to_pdf")])

    assert response.status == 400
    assert response.error_code == "repeated_field"


def test_huge_part_headers_are_refused(client):
    head, value = field("conversion", "document_to_pdf")
    response = post_parts(
        client, [(f"{head}\r\nX-Padding: {'p' * 40000}", value)])

    assert response.status == 400
    assert response.error_code == "malformed_multipart"


def test_huge_request_headers_are_refused_by_nginx(client):
    status, _ = raw_request(
        (f"GET /api/jobs HTTP/1.1\r\nHost: {URL.netloc}\r\n"
         f"X-Junk: {'j' * 100000}\r\nConnection: close\r\n\r\n").encode())

    assert status in (400, 431, 494)


@pytest.mark.parametrize("name", [
    "a\r\nb.docx", "a\nContent-Type: x.docx", "nul\x00.docx", "tab\t.docx",
])
def test_control_characters_in_file_names_are_refused(client, corpus, name):
    response = post_parts(
        client, [field("conversion", "document_to_pdf"),
                 file_part(name, corpus("docx-footnotes.docx"))])

    assert response.status == 400
    assert response.error_code in ("bad_file_name", "malformed_multipart")
    assert rows_of(client.client_id) == []


@pytest.mark.parametrize("name", [
    "-rf.docx", "$(id).docx", "`reboot`.docx", "a'; DROP TABLE x; --.docx",
    "../../../etc/passwd.docx", "Отчёт за год.docx", "報告書.docx",
    "Cafe\u0301 menu.docx", 'say "hi".docx', "x" * 200 + ".docx",
])
def test_any_utf8_name_is_kept_and_never_used_on_disk(client, corpus, name):
    job, download = client.convert(
        "document_to_pdf", [(name, corpus("docx-footnotes.docx"))])

    assert job["inputs"][0]["name"] == name
    assert job["output"]["name"] == name[:-len(".docx")] + ".pdf"
    folder = RUN_DIR / "storage" / client.client_id / job["id"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "input-1.docx", "output.pdf"]
    assert download.body.startswith(b"%PDF-")


@pytest.mark.parametrize("value", [
    "", "not-a-uuid", "' OR '1'='1", "../../etc/passwd",
    "3f2b8c1e-9d4a-1b7e-8c2f-1a2b3c4d5e6f",  # version 1
    "3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f" * 50,
    "00000000-0000-0000-0000-000000000000",
])
def test_bad_client_id_headers_get_a_fresh_id(value):
    response = Client().get("/api/jobs", headers={"X-Client-Id": value})

    new_id = response.headers["X-Client-Id"]
    assert response.status == 200
    assert new_id != value and uuid.UUID(new_id).version == 4
    assert response.json() == {"jobs": []}


def test_header_wins_when_cookie_disagrees(client, corpus):
    job, _ = client.convert(
        "document_to_pdf", [("mine.docx", corpus("docx-footnotes.docx"))])
    stranger = str(uuid.uuid4())

    response = client.get(f"/api/jobs/{job['id']}",
                          headers={"Cookie": f"client_id={stranger}"})
    assert response.status == 200
    assert response.headers["X-Client-Id"] == client.client_id

    as_stranger = Client(stranger).get(
        f"/api/jobs/{job['id']}",
        headers={"Cookie": f"client_id={client.client_id}"})
    assert as_stranger.status == 404


@pytest.mark.parametrize("path", [
    "/api/jobs/' OR 1=1 --", "/api/jobs/%27%20OR%201=1", "/api/jobs/..%2f..",
    "/api/jobs/%00", "/api/jobs/00000000-0000-0000-0000-000000000000/../..",
    "/api/../etc/passwd", "/_files/../run/test", "/api/jobs?id=1;DROP",
])
def test_hostile_paths_never_fail_badly(client, path):
    status, answer = raw_request(
        (f"GET {path} HTTP/1.1\r\nHost: {URL.netloc}\r\n"
         f"X-Client-Id: {client.client_id}\r\nConnection: close\r\n\r\n"
         ).encode())

    assert status in (200, 400, 404), answer[:300]
    assert b"root:" not in answer


@pytest.mark.parametrize("field,value", [
    ("conversion", "document_to_pdf'; DROP TABLE document_jobs; --"),
    ("conversion", "../../etc/passwd"),
    ("conversion", "x" * 5000),
])
def test_hostile_field_values_are_refused(client, corpus, field, value):
    response = client.upload(
        value if field == "conversion" else "document_to_pdf",
        [("a.docx", corpus("docx-footnotes.docx"))])

    assert response.status == 400
    assert response.error_code in ("unknown_conversion", "field_too_long")
    assert psql("SELECT count(*) FROM document_jobs") != []


def test_cross_site_upload_is_refused(client, corpus):
    content_type, body = multipart(
        {"conversion": "document_to_pdf"},
        [("a.docx", corpus("docx-footnotes.docx"))])
    response = client.request(
        "POST", "/api/jobs", body=body,
        headers={"Content-Type": content_type,
                 "Origin": "https://evil.example"})
    same_site = client.request(
        "POST", "/api/jobs", body=body,
        headers={"Content-Type": content_type,
                 "Origin": BASE_URL})

    assert response.status == 403
    assert response.error_code == "cross_origin"
    assert same_site.status == 201
    assert len(rows_of(client.client_id)) == 1


def test_cross_site_delete_is_refused(client, corpus):
    job, _ = client.convert(
        "document_to_pdf", [("a.docx", corpus("docx-footnotes.docx"))])
    response = client.request(
        "DELETE", f"/api/jobs/{job['id']}",
        headers={"Sec-Fetch-Site": "cross-site"})

    assert response.status == 403
    assert client.get(f"/api/jobs/{job['id']}").status == 200

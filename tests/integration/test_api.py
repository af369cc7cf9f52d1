"""The API's contract: client ids, isolation between clients, validation
before any job exists, and the JSON error format."""

import uuid

import pytest

from conftest import Client, multipart, psql

PNG_HEADER = bytes.fromhex("89504e470d0a1a0a0000000d49484452")


def job_rows(client_id):
    return psql(
        f"SELECT id FROM document_jobs WHERE client_id = '{client_id}'"
    )


def test_catalog_lists_the_office_conversions(client):
    response = client.get("/api/conversions")

    assert response.status == 200
    catalog = {c["id"]: c for c in response.json()["conversions"]}
    assert {"document_to_pdf", "spreadsheet_to_pdf",
            "presentation_to_pdf"} <= set(catalog)
    assert {"docx", "doc", "odt", "rtf"} <= set(
        catalog["document_to_pdf"]["extensions"])
    assert {"xlsx", "xls", "ods", "csv"} <= set(
        catalog["spreadsheet_to_pdf"]["extensions"])
    assert {"pptx", "ppt", "odp"} <= set(
        catalog["presentation_to_pdf"]["extensions"])
    assert catalog["document_to_pdf"]["output"]["extension"] == "pdf"
    assert catalog["document_to_pdf"]["max_file_bytes"] > 0


def test_new_browser_gets_a_cookie_with_the_right_flags(browser):
    response = browser.get("/api/conversions")

    assert response.status == 200
    cookie = response.headers["Set-Cookie"]
    client_id = response.headers["X-Client-Id"]
    assert uuid.UUID(client_id).version == 4
    assert cookie == (f"client_id={client_id}; Path=/; Max-Age=86400; "
                      "HttpOnly; SameSite=Lax")


def test_browser_keeps_its_id_across_requests(browser):
    first = browser.get("/api/jobs")
    second = browser.get("/api/jobs")

    assert second.headers["X-Client-Id"] == first.headers["X-Client-Id"]
    assert second.headers.get("Set-Cookie") is None


@pytest.mark.parametrize("bad", [
    "not-a-uuid",
    "3f2b8c1e-9d4a-1b7e-8c2f-1a2b3c4d5e6f",  # version 1
    "' OR 1=1 --",
    "a" * 5000,
])
def test_malformed_cookie_is_replaced_not_echoed(bad):
    response = Client().get("/api/jobs",
                            headers={"Cookie": f"client_id={bad}"})

    new_id = response.headers["X-Client-Id"]
    assert response.status == 200
    assert new_id != bad and uuid.UUID(new_id).version == 4
    assert response.headers["Set-Cookie"].startswith(f"client_id={new_id};")
    assert bad not in response.body.decode()


@pytest.mark.parametrize("path", ["/api/health", "/metrics"])
def test_probes_and_scrapes_get_no_client_id(browser, path):
    for method in ("GET", "HEAD"):
        response = browser.request(method, path)

        assert response.status == 200
        assert response.headers.get("Set-Cookie") is None
        assert response.headers.get("X-Client-Id") is None
    assert len(browser.cookies) == 0


def test_browser_creating_a_job_gets_its_cookie_again(browser, corpus):
    issued = browser.get("/api/conversions").headers["Set-Cookie"]
    client_id = browser.get("/api/jobs").headers["X-Client-Id"]

    created = browser.upload(
        "document_to_pdf", [("a.docx", corpus("docx-footnotes.docx"))])

    assert created.status == 201
    assert created.headers["X-Client-Id"] == client_id
    assert created.headers["Set-Cookie"] == issued == (
        f"client_id={client_id}; Path=/; Max-Age=86400; HttpOnly; "
        "SameSite=Lax")
    browser.wait_for_job(created.json()["id"])


def test_api_client_creating_a_job_gets_no_cookie(client, corpus):
    created = client.upload(
        "document_to_pdf", [("a.docx", corpus("docx-footnotes.docx"))])

    assert created.status == 201
    assert created.headers.get("Set-Cookie") is None
    client.wait_for_job(created.json()["id"])


def test_refused_upload_does_not_renew_the_cookie(browser):
    browser.get("/api/conversions")
    refused = browser.upload("document_to_pdf", [("empty.docx", b"")])

    assert (refused.status, refused.error_code) == (400, "empty_file")
    assert refused.headers.get("Set-Cookie") is None


def test_api_client_id_header_is_used_and_echoed(client):
    response = client.get("/api/jobs")

    assert response.headers["X-Client-Id"] == client.client_id
    assert response.headers.get("Set-Cookie") is None
    assert response.json() == {"jobs": []}


def test_png_renamed_docx_is_refused_with_no_job(client):
    png = PNG_HEADER + bytes(200)
    response = client.upload("document_to_pdf", [("photo.docx", png)])

    assert response.status == 415
    assert response.error_code == "type_mismatch"
    assert "PNG" in response.json()["error"]["message"]
    assert job_rows(client.client_id) == []


def test_real_png_renamed_docx_is_refused(client, corpus):
    response = client.upload(
        "document_to_pdf", [("x.docx", corpus("png-palette-trns.png"))])

    assert response.status == 415
    assert response.error_code == "type_mismatch"
    assert job_rows(client.client_id) == []


def test_docx_for_spreadsheet_conversion_is_refused(client, corpus):
    response = client.upload(
        "spreadsheet_to_pdf",
        [("a.xlsx", corpus("docx-footnotes.docx"))])

    assert response.status == 415
    assert response.error_code == "type_mismatch"


def test_wrong_extension_is_refused(client, corpus):
    response = client.upload(
        "document_to_pdf", [("a.xlsx", corpus("xlsx-merged-cells.xlsx"))])

    assert response.status == 415
    assert response.error_code == "unsupported_extension"
    assert job_rows(client.client_id) == []


def test_empty_file_is_refused(client):
    response = client.upload("document_to_pdf", [("empty.docx", b"")])

    assert response.status == 400
    assert response.error_code == "empty_file"
    assert job_rows(client.client_id) == []


def test_missing_conversion_and_file_are_refused(client, corpus):
    content_type, body = multipart({}, [("a.docx",
                                         corpus("docx-footnotes.docx"))])
    no_conversion = client.request("POST", "/api/jobs", body=body,
                                   headers={"Content-Type": content_type})
    no_file = client.upload("document_to_pdf", [])
    unknown = client.upload("document_to_nothing",
                            [("a.docx", corpus("docx-footnotes.docx"))])

    assert (no_conversion.status, no_conversion.error_code) == (
        400, "missing_conversion")
    assert (no_file.status, no_file.error_code) == (400, "missing_file")
    assert (unknown.status, unknown.error_code) == (
        400, "unknown_conversion")


def test_non_multipart_body_is_refused(client):
    response = client.request("POST", "/api/jobs", body=b"{}",
                              headers={"Content-Type": "application/json"})

    assert response.status == 400
    assert response.error_code == "not_multipart"


def test_truncated_multipart_is_refused(client, corpus):
    content_type, body = multipart(
        {"conversion": "document_to_pdf"},
        [("a.docx", corpus("docx-footnotes.docx"))])
    response = client.request("POST", "/api/jobs", body=body[:-40],
                              headers={"Content-Type": content_type})

    assert response.status == 400
    assert response.error_code == "malformed_multipart"
    assert job_rows(client.client_id) == []


def test_oversize_upload_is_refused_by_nginx_as_json(client):
    catalog = client.get("/api/conversions").json()
    limit = catalog["max_upload_bytes"]
    content_type, body = multipart(
        {"conversion": "document_to_pdf"},
        [("big.docx", b"PK\x03\x04" + bytes(limit))])
    response = client.request("POST", "/api/jobs", body=body,
                              headers={"Content-Type": content_type})

    assert response.status == 413
    assert response.error_code == "request_too_large"
    assert job_rows(client.client_id) == []


def test_file_over_the_conversion_limit_is_refused(client):
    catalog = client.get("/api/conversions").json()
    document = next(c for c in catalog["conversions"]
                    if c["id"] == "document_to_pdf")
    if document["max_file_bytes"] >= catalog["max_upload_bytes"]:
        pytest.skip("the body limit is the only limit")
    data = b"{\\rtf1 " + bytes(document["max_file_bytes"])
    response = client.upload("document_to_pdf", [("big.rtf", data)])

    assert response.status == 413
    assert response.error_code == "file_too_large"


def test_another_clients_job_is_not_found(client, other_client, corpus):
    job, _ = client.convert(
        "document_to_pdf", [("a.docx", corpus("docx-footnotes.docx"))])

    for path in (f"/api/jobs/{job['id']}",
                 f"/api/jobs/{job['id']}/download"):
        response = other_client.get(path)
        assert response.status == 404
        assert response.error_code == "job_not_found"
        assert b"a.docx" not in response.body
    assert other_client.get("/api/jobs").json() == {"jobs": []}
    assert other_client.delete(f"/api/jobs/{job['id']}").status == 404
    assert client.get(f"/api/jobs/{job['id']}").status == 200


def test_unknown_job_is_not_found(client):
    for path in (f"/api/jobs/{uuid.uuid4()}", "/api/jobs/not-a-uuid",
                 f"/api/jobs/{uuid.uuid4()}/download",
                 "/api/jobs/not-a-uuid/download"):
        response = client.get(path)
        assert response.status == 404
        assert response.error_code == "job_not_found"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    response = client.get("/api/jobs/../../etc/passwd")
    assert response.status == 404


def insert_job(client_id, status, error=None):
    """A job row written straight into the database, in a state no worker
    will change: running under a lease that lasts an hour, or failed."""
    job_id = str(uuid.uuid4())
    code, message = error or (None, None)
    psql(
        "INSERT INTO document_jobs (id, client_id, conversion, status,"
        " inputs, attempts, started_at, lease_expires_at, error_code,"
        " error_message) VALUES ("
        f"'{job_id}', '{client_id}', 'document_to_pdf', '{status}',"
        " '[{\"name\": \"a.docx\", \"size\": 1}]', 1, now(),"
        " now() + interval '1 hour',"
        f" {'NULL' if code is None else repr(code)},"
        f" {'NULL' if message is None else repr(message)})"
    )
    return job_id


def test_download_of_a_running_job_is_not_ready(client):
    job_id = insert_job(client.client_id, "running")
    response = client.get(f"/api/jobs/{job_id}/download")

    assert response.status == 409
    assert response.error_code == "not_ready"
    assert response.headers["Retry-After"] == "2"
    assert client.get(f"/api/jobs/{job_id}").json()["status"] == "running"


def test_download_of_a_failed_job_says_why(client):
    job_id = insert_job(client.client_id, "failed",
                        ("conversion_failed", "the file is damaged"))
    response = client.get(f"/api/jobs/{job_id}/download")
    job = client.get(f"/api/jobs/{job_id}").json()

    assert response.status == 409
    assert response.error_code == "job_failed"
    assert "the file is damaged" in response.json()["error"]["message"]
    assert job["error"] == {"code": "conversion_failed",
                            "message": "the file is damaged"}


def test_delete_removes_job_and_files(client, corpus):
    job, _ = client.convert(
        "document_to_pdf", [("a.docx", corpus("docx-footnotes.docx"))])

    assert client.delete(f"/api/jobs/{job['id']}").status == 204
    assert client.get(f"/api/jobs/{job['id']}").status == 404
    assert client.get(f"/api/jobs/{job['id']}/download").status == 404
    assert job_rows(client.client_id) == []


def test_list_shows_newest_first(client, corpus):
    ids = []
    for name in ("first.docx", "second.docx"):
        ids.append(client.upload(
            "document_to_pdf",
            [(name, corpus("docx-footnotes.docx"))]).json()["id"])

    listed = [job["id"] for job in client.get("/api/jobs").json()["jobs"]]
    assert listed == list(reversed(ids))
    for job_id in ids:
        client.wait_for_job(job_id)


def test_wrong_method_is_refused_with_allow(client):
    response = client.request("PUT", "/api/jobs")

    assert response.status == 405
    assert response.headers["Allow"] == "GET, HEAD, POST"
    assert response.error_code == "method_not_allowed"


@pytest.mark.parametrize("path", [
    "/api/health", "/api/conversions", "/api/jobs", "/metrics",
])
def test_head_answers_like_get_without_a_body(client, path):
    get = client.get(path)
    head = client.request("HEAD", path)

    assert head.status == get.status == 200
    assert head.body == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


def test_head_of_a_missing_job_is_not_found(client):
    response = client.request("HEAD", f"/api/jobs/{uuid.uuid4()}")

    assert response.status == 404
    assert response.body == b""


def test_health_answers(client):
    response = client.get("/api/health")

    assert response.status == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["Content-Type"] == (
        "application/json; charset=utf-8")

"""Limits and fairness: the request size limit to the byte, a client's
cap on active jobs, the bound on the whole queue, and a busy client not
keeping the others waiting."""

import json
import time
import uuid

import pytest

from conftest import multipart, psql
from samples import make_pdf


def upload_of_size(total):
    """A pdf_to_text upload whose whole body is exactly `total` bytes: one
    valid PDF, padded. Returns the content type, the body and the PDF."""
    padding = 0
    while True:
        pdf = make_pdf(["Sized to the byte"], padding=padding)
        content_type, body = multipart({"conversion": "pdf_to_text"},
                                       [("big.pdf", pdf)])
        if len(body) == total:
            return content_type, body, pdf
        padding += total - len(body)


@pytest.mark.parametrize("over", [-1, 0, 1])
def test_body_limit_holds_to_the_byte(client, over):
    limit = client.get("/api/conversions").json()["max_upload_bytes"]
    content_type, body, pdf = upload_of_size(limit + over)
    response = client.request("POST", "/api/jobs", body=body,
                              headers={"Content-Type": content_type})

    if over > 0:
        assert response.status == 413
        assert response.error_code == "request_too_large"
        return
    assert response.status == 201
    job = response.json()
    assert job["inputs"][0]["size"] == len(pdf)
    client.delete(f"/api/jobs/{job['id']}")


def fake_jobs(client_id, count, status="queued", attempts=0, age="0"):
    """Job rows written straight into the database. Running ones hold a
    lease of an hour, so no worker takes them; queued ones with more
    attempts than any worker allows are never taken either."""
    inputs = json.dumps([{"name": "x.docx", "size": 1}])
    lease = "now() + interval '1 hour'" if status == "running" else "NULL"
    psql("INSERT INTO document_jobs (id, client_id, conversion, status,"
         " inputs, attempts, lease_expires_at, created_at)"
         f" SELECT gen_random_uuid(), '{client_id}', 'document_to_pdf',"
         f" '{status}', '{inputs}', {attempts}, {lease},"
         f" now() - interval '{age} seconds'"
         f" FROM generate_series(1, {count})")


def test_client_over_its_cap_is_told_when_to_retry(client, corpus):
    cap = 10  # DOCSHIFT_MAX_ACTIVE_JOBS of the test stack
    fake_jobs(client.client_id, cap, status="running", attempts=1)
    response = client.upload(
        "document_to_pdf", [("one-more.docx", corpus("docx-footnotes.docx"))])
    others = client.__class__(str(uuid.uuid4())).upload(
        "document_to_pdf", [("other.docx", corpus("docx-footnotes.docx"))])
    psql(f"DELETE FROM document_jobs WHERE client_id = '{client.client_id}'")

    assert response.status == 429
    assert response.error_code == "too_many_jobs"
    assert response.headers["Retry-After"] == "10"
    assert str(cap) in response.json()["error"]["message"]
    assert others.status == 201


def test_full_queue_refuses_uploads_with_503(client, corpus):
    bound = 1000  # DOCSHIFT_MAX_QUEUED_JOBS of the test stack
    owner = str(uuid.uuid4())
    fake_jobs(owner, bound, attempts=1_000_000)
    response = client.upload(
        "document_to_pdf", [("late.docx", corpus("docx-footnotes.docx"))])
    psql(f"DELETE FROM document_jobs WHERE client_id = '{owner}'")
    after = client.upload(
        "document_to_pdf", [("later.docx", corpus("docx-footnotes.docx"))])

    assert response.status == 503
    assert response.error_code == "queue_full"
    assert response.headers["Retry-After"] == "10"
    assert after.status == 201
    client.wait_for_job(after.json()["id"])


def test_busy_client_does_not_go_first():
    busy, quiet = str(uuid.uuid4()), str(uuid.uuid4())
    fake_jobs(busy, 2, status="running", attempts=1)
    inputs = json.dumps([{"name": "x.docx", "size": 1}])
    # Both queued at once, the busy client's an hour earlier: first come
    # would take it first; fairness takes the quiet client's.
    psql("INSERT INTO document_jobs (id, client_id, conversion, inputs,"
         " created_at) VALUES"
         f" (gen_random_uuid(), '{busy}', 'document_to_pdf', '{inputs}',"
         "  now() - interval '1 hour'),"
         f" (gen_random_uuid(), '{quiet}', 'document_to_pdf', '{inputs}',"
         "  now())")

    # Neither has files, so each fails at once; only the order matters.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        order = psql(
            "SELECT client_id FROM document_jobs"
            f" WHERE client_id IN ('{busy}', '{quiet}')"
            " AND finished_at IS NOT NULL ORDER BY started_at")
        if len(order) == 2:
            break
        time.sleep(0.2)
    psql(f"DELETE FROM document_jobs WHERE client_id IN ('{busy}',"
         f" '{quiet}')")

    assert order == [quiet, busy]

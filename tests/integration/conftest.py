"""Fixtures for the integration tests: a running docshift stack (started by
scripts/test), an HTTP client per anonymous client id, the real-document
corpus, and direct access to the stack's PostgreSQL."""

import http.cookiejar
import json
import os
import pathlib
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest

BASE_URL = os.environ.get("DOCSHIFT_URL", "http://127.0.0.1:8080")
RUN_DIR = pathlib.Path(os.environ.get("DOCSHIFT_TEST_RUN_DIR", "run/test"))
CORPUS_DIR = pathlib.Path(
    os.environ.get(
        "DOCSHIFT_CORPUS_DIR",
        pathlib.Path(__file__).resolve().parents[3] / "shared/corpus/real",
    )
)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    @property
    def error_code(self):
        return self.json()["error"]["code"]


def multipart(fields, files):
    """Builds a multipart/form-data body; files are (name, bytes) pairs sent
    as parts named 'file', with the name as given (UTF-8)."""
    boundary = "docshift-test-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += f"--{boundary}\r\n".encode()
        out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    for filename, data in files:
        quoted = filename.replace('"', "%22")
        out += f"--{boundary}\r\n".encode()
        out += (
            f'Content-Disposition: form-data; name="file"; '
            f'filename="{quoted}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


class Client:
    """One anonymous client: either a browser-like client that keeps the
    cookie it is given, or an API client sending X-Client-Id."""

    def __init__(self, client_id=None):
        self.client_id = client_id
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.client_id:
            headers.setdefault("X-Client-Id", self.client_id)
        req = urllib.request.Request(
            BASE_URL + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(req, timeout=60) as resp:
                return Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, err.headers, err.read())

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def delete(self, path):
        return self.request("DELETE", path)

    def upload(self, conversion, files, fields=None):
        all_fields = {"conversion": conversion, **(fields or {})}
        content_type, body = multipart(all_fields, files)
        return self.request(
            "POST", "/api/jobs", body=body,
            headers={"Content-Type": content_type},
        )

    def wait_for_job(self, job_id, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(f"/api/jobs/{job_id}").json()
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s")

    def convert(self, conversion, files, fields=None):
        """Uploads, waits for the job and returns (job, result bytes)."""
        created = self.upload(conversion, files, fields)
        assert created.status == 201, created.body
        job = self.wait_for_job(created.json()["id"])
        assert job["status"] == "succeeded", job
        download = self.get(f"/api/jobs/{job['id']}/download")
        assert download.status == 200
        return job, download


@pytest.fixture
def client():
    return Client(str(uuid.uuid4()))


@pytest.fixture
def other_client():
    return Client(str(uuid.uuid4()))


@pytest.fixture
def browser():
    """A client with no id of its own: it keeps the cookie it is given."""
    return Client()


@pytest.fixture
def corpus():
    def read(name):
        return (CORPUS_DIR / name).read_bytes()

    return read


def psql(sql):
    """Runs SQL on the stack's database and returns the rows as text."""
    result = subprocess.run(
        ["psql", "-h", str(RUN_DIR / "pg"), "-U", "docshift", "-d",
         "docshift", "-qtAX", "-c", sql],
        check=True, capture_output=True, text=True,
    )
    return [line for line in result.stdout.splitlines() if line]


def pdf_text(data, tmp_path):
    path = tmp_path / "result.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout


def pdf_pages(data, tmp_path):
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    info = subprocess.run(
        ["pdfinfo", str(path)], check=True, capture_output=True, text=True
    ).stdout
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo printed no page count")

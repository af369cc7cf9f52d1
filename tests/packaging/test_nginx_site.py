"""The production nginx site: `nginx -t` accepts it with a self-signed
certificate, and it agrees with the API and the local stack's locations on
the upload limit and the FastCGI parameters."""

import http.client
import json
import re
import socket
import ssl
import subprocess
import time

import pytest

from conftest import REPO

SITE = REPO / "nginx" / "docshift-site.conf"
LOCATIONS = REPO / "nginx" / "docshift_locations.conf.in"


@pytest.fixture
def prefix(tmp_path):
    """A temporary nginx prefix with a self-signed certificate, the site
    pointed at it, and a main file that includes the site in http { } as
    Debian's nginx.conf does."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-subj", "/CN=docshift.test",
         "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )
    (tmp_path / "logs").mkdir()
    site = SITE.read_text()
    site = site.replace("/etc/letsencrypt/live/docshift.example.org/",
                        f"{tmp_path}/")
    site = site.replace("/var/log/nginx/", f"{tmp_path}/logs/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/logs/error.log;\n"
        "events {}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {tmp_path}/body;\n"
        f"    include {tmp_path}/site.conf;\n"
        "}\n"
    )
    return tmp_path


def test_nginx_accepts_the_site(prefix):
    result = subprocess.run(
        ["nginx", "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"nginx: the configuration file {prefix}/nginx.conf syntax is ok",
        f"nginx: configuration file {prefix}/nginx.conf test is successful",
    ]


def test_upload_limit_equals_the_api_default():
    default = re.search(r'\{"DOCSHIFT_MAX_UPLOAD_BYTES", "(\d+)"',
                        (REPO / "libdocshift/config.cpp").read_text())[1]
    site = SITE.read_text()
    assert re.findall(r"client_max_body_size (\d+);", site) == [default]
    assert f"the limit of {default} bytes" in site


def test_passes_the_same_fastcgi_parameters_as_the_local_stack():
    def params(text):
        api = re.search(r"location (?:\^~ )?/api/ \{(.*?)\n\s*\}\n", text,
                        re.DOTALL)[1]
        return re.findall(r"^\s*(fastcgi_param .*)$", api, re.MULTILINE)

    assert params(SITE.read_text()) == params(LOCATIONS.read_text())
    assert "fastcgi_param REQUEST_ID      $request_id;" in params(
        SITE.read_text())


def test_serves_https_only_with_the_frontend_policy():
    site = SITE.read_text()
    assert "return 301 https://$host$request_uri;" in site
    assert "ssl_protocols       TLSv1.2 TLSv1.3;" in site
    assert ('add_header Strict-Transport-Security "max-age=63072000" always;'
            in site)
    assert ("default-src 'self'; script-src 'self'; style-src 'self'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'") in site
    # Headers only at server level: one add_header in a location would
    # drop every server-level one there.
    server = site.split("listen      443 ssl http2;", 1)[1]
    first_location = server.index("location ")
    assert "add_header" not in server[first_location:]


def test_json_error_pages_for_nginx_own_errors():
    site = SITE.read_text()
    for status in (413, 429, 502, 503, 504):
        assert f"error_page {status} /_errors/{status}.json;" in site
        assert re.search(
            rf"location = /_errors/{status}\.json \{{\s*return {status} "
            r"'\{\"error\":\{\"code\":\"[a-z_]+\",\"message\":\"[^\"]+\"\}\}",
            site,
        ), status


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def running_site(prefix):
    """nginx serving the site on free local ports, with the repository's
    frontend and a FastCGI socket nobody listens on."""
    http_port, https_port = free_port(), free_port()
    site = (prefix / "site.conf").read_text()
    site = site.replace("listen      80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen      443 ssl http2;",
                        f"listen 127.0.0.1:{https_port} ssl http2;")
    site = re.sub(r"\n\s*listen\s+\[::\]:\d+[^;]*;", "", site)
    site = site.replace("/usr/share/docshift/frontend",
                        str(REPO / "frontend"))
    site = site.replace("/run/docshift/fcgi.sock", str(prefix / "none.sock"))
    (prefix / "site.conf").write_text(site)
    nginx = subprocess.Popen(
        ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
         "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), 1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield http_port, https_port
    nginx.terminate()
    nginx.wait(10)


def fetch(port, path, method="GET", headers=None, tls=True):
    """(status, headers, body) of one request, certificate unchecked."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context,
                                           timeout=10)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    result = (response.status, response.headers, response.read())
    conn.close()
    return result


def test_plain_http_redirects_to_https(running_site):
    http_port, _ = running_site
    status, headers, _ = fetch(http_port, "/api/jobs?x=1", tls=False)
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1/api/jobs?x=1"


def test_page_has_security_headers_and_is_revalidated(running_site):
    _, https_port = running_site
    status, headers, body = fetch(https_port, "/")
    assert status == 200
    assert body == (REPO / "frontend/index.html").read_bytes()
    assert headers["Strict-Transport-Security"] == "max-age=63072000"
    assert headers["Content-Security-Policy"].startswith(
        "default-src 'self'; script-src 'self'; style-src 'self'; ")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-cache"
    assert len(headers["X-Request-Id"]) == 32


def test_static_files_are_cached_for_an_hour_and_gzipped(running_site):
    _, https_port = running_site
    status, headers, _ = fetch(https_port, "/css/app.css",
                               headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "max-age=3600"
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Strict-Transport-Security"] == "max-age=63072000"


def test_api_away_answers_json_502(running_site):
    _, https_port = running_site
    status, headers, body = fetch(https_port, "/api/health")
    assert status == 502
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "service_unavailable"


def test_upload_over_the_limit_answers_json_413(running_site):
    _, https_port = running_site
    status, _, body = fetch(
        https_port, "/api/jobs", method="POST",
        headers={"Content-Length": "104857601",
                 "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert status == 413
    assert json.loads(body) == {"error": {
        "code": "request_too_large",
        "message": "the upload is larger than the limit of 104857600 bytes",
    }}


def test_uploads_are_limited_sooner_than_reads(running_site):
    _, https_port = running_site
    # A burst of 3 beyond the first: the fifth upload at once is refused.
    statuses = [
        fetch(https_port, "/api/jobs", method="POST",
              headers={"Content-Length": "0"})[0]
        for _ in range(5)
    ]
    assert statuses == [502, 502, 502, 502, 429]
    status, _, body = fetch(https_port, "/api/jobs", method="POST",
                            headers={"Content-Length": "0"})
    assert status == 429
    assert json.loads(body)["error"]["code"] == "too_many_requests"
    # Reads from the same address still pass.
    assert fetch(https_port, "/api/jobs")[0] == 502

"""/metrics: Prometheus text with request counts of the whole pool and job
figures from the database, reachable from this host only."""

import http.client
import re
import socket
import urllib.parse

from conftest import BASE_URL


def metrics(client):
    response = client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4"
    return response.body.decode()


def value(text, name, labels):
    pattern = re.escape(name + "{" + labels + "}") + r" (\S+)"
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


def test_request_counts_add_up_across_the_pool(client):
    labels = 'route="health",status="200"'
    before = value(metrics(client), "docshift_http_requests_total", labels)
    for _ in range(20):
        assert client.get("/api/health").status == 200
    after = value(metrics(client), "docshift_http_requests_total", labels)

    assert after - before == 20


def test_job_figures_come_from_the_database(client, corpus):
    client.convert("document_to_pdf",
                   [("a.docx", corpus("docx-footnotes.docx"))])
    text = metrics(client)

    assert value(text, "docshift_jobs",
                 'conversion="document_to_pdf",status="succeeded"') >= 1
    assert re.search(r"^docshift_queue_depth \d+$", text, re.M)
    count = value(text, "docshift_conversion_duration_seconds_count",
                  'conversion="document_to_pdf"')
    infinite = value(text, "docshift_conversion_duration_seconds_bucket",
                     'conversion="document_to_pdf",le="+Inf"')
    assert count >= 1 and infinite == count
    assert "# TYPE docshift_engine_restarts_total counter" in text
    # Every reason has a series from the start, before any restart.
    for reason in ("crash", "timeout", "file limit reached"):
        assert re.search(r'^docshift_engine_restarts_total\{reason="'
                         + reason + r'"\} \d+$', text, re.M), reason


def test_metrics_are_refused_to_other_addresses():
    # 127.0.0.2 is this host too, but not an address nginx lets in.
    url = urllib.parse.urlsplit(BASE_URL)
    connection = http.client.HTTPConnection(
        url.hostname, url.port, source_address=("127.0.0.2", 0), timeout=10)
    connection.request("GET", "/metrics")
    response = connection.getresponse()

    assert response.status == 403
    assert b"docshift_" not in response.read()

"""docshift-cleanup against the stack's PostgreSQL and storage folder, while
the API and the worker run: expired jobs go with their files, running jobs
under a live lease stay, files no job owns go once they are an hour old,
jobs whose files vanished fail, and two runs at once share the work."""

import os
import pathlib
import re
import subprocess
import threading
import time
import uuid

import pytest

from conftest import RUN_DIR, psql

BUILD_DIR = pathlib.Path(os.environ.get("DOCSHIFT_BUILD_DIR", "build"))
CLEANUP = BUILD_DIR / "cleanup" / "docshift-cleanup"
STORAGE = pathlib.Path(
    os.environ.get("DOCSHIFT_STORAGE_DIR", str(RUN_DIR / "storage"))
)
TWO_HOURS_AGO = time.time() - 7200

# Above the worker's DOCSHIFT_MAX_ATTEMPTS, so the stack's worker never
# claims the queued rows these tests insert by hand.
UNCLAIMABLE_ATTEMPTS = 99


def run_cleanup(*args, env=None):
    """Runs docshift-cleanup; returns (exit status, totals, stderr)."""
    result = subprocess.run(
        [str(CLEANUP), *args], capture_output=True, text=True,
        env=env, timeout=120,
    )
    totals = {}
    for line in result.stderr.splitlines():
        if " cleanup finished " in line:
            totals = {
                key: int(value)
                for key, value in re.findall(r"(\w+)=(\d+)", line)
            }
    return result.returncode, totals, result.stderr


@pytest.fixture(autouse=True)
def drained():
    """Starts each test with nothing left for cleanup to do, so its totals
    count this test's rows and files alone."""
    status, _, stderr = run_cleanup()
    assert status == 0, stderr


def insert_job(status="succeeded", expires="now() + interval '1 hour'",
               lease="NULL", attempts=1, client_id=None):
    """Inserts a job row; returns (client id, job id)."""
    client_id = client_id or str(uuid.uuid4())
    job_id = str(uuid.uuid4())
    error = ("'boom', 'it failed'" if status == "failed" else "NULL, NULL")
    output = ("'report.pdf', 5" if status == "succeeded" else "NULL, NULL")
    psql(
        "INSERT INTO document_jobs (id, client_id, conversion, status,"
        " inputs, output_name, output_size, error_code, error_message,"
        " attempts, lease_expires_at, expires_at) VALUES"
        f" ('{job_id}', '{client_id}', 'document_to_pdf', '{status}',"
        f" '[{{\"name\": \"report.docx\", \"size\": 7}}]', {output},"
        f" {error}, {attempts}, {lease}, {expires})"
    )
    return client_id, job_id


def write_files(client_id, job_id, files):
    """Writes {name: bytes} into a job's folder; returns the byte count."""
    folder = STORAGE / client_id / job_id
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return sum(len(data) for data in files.values())


def age(path, when=TWO_HOURS_AGO):
    """Makes a folder and everything in it look untouched since `when`."""
    for dirpath, dirnames, filenames in os.walk(path, topdown=False):
        for name in filenames + dirnames:
            os.utime(os.path.join(dirpath, name), (when, when))
    os.utime(path, (when, when))


def job_exists(job_id):
    return psql(f"SELECT count(*) FROM document_jobs WHERE id = '{job_id}'") \
        == ["1"]


def test_deletes_past_and_present_expired_jobs_with_files_keeps_future():
    past = insert_job("succeeded", "now() - interval '2 days'")
    past_bytes = write_files(*past, {"input-1.docx": b"x" * 1000,
                                     "output.pdf": b"y" * 2345})
    present = insert_job("failed", "now()")
    present_bytes = write_files(*present, {"input-1.docx": b"z" * 10})
    no_files = insert_job("queued", "now() - interval '1 second'",
                          attempts=UNCLAIMABLE_ATTEMPTS)
    future = insert_job("succeeded", "now() + interval '1 minute'")
    write_files(*future, {"input-1.docx": b"a", "output.pdf": b"b"})

    status, totals, stderr = run_cleanup()

    assert status == 0, stderr
    assert totals["expired_jobs"] == 3
    assert totals["expired_bytes"] == past_bytes + present_bytes == 3355
    assert totals["errors"] == 0
    for client_id, job_id in (past, present, no_files):
        assert not job_exists(job_id)
        assert not (STORAGE / client_id / job_id).exists()
    assert job_exists(future[1])
    assert sorted(p.name for p in (STORAGE / future[0] / future[1]).iterdir()) \
        == ["input-1.docx", "output.pdf"]


def test_running_job_with_live_lease_stays_until_the_lease_ends():
    live = insert_job("running", "now() - interval '1 hour'",
                      lease="now() + interval '5 minutes'")
    write_files(*live, {"input-1.docx": b"live"})
    lapsed = insert_job("running", "now() - interval '1 hour'",
                        lease="now() - interval '1 minute'")
    lapsed_bytes = write_files(*lapsed, {"input-1.docx": b"lapsed"})

    status, totals, stderr = run_cleanup()

    assert status == 0, stderr
    assert (totals["expired_jobs"], totals["expired_bytes"]) == \
        (1, lapsed_bytes)
    assert job_exists(live[1])
    assert (STORAGE / live[0] / live[1] / "input-1.docx").read_bytes() == \
        b"live"
    assert not job_exists(lapsed[1])

    # Once the worker lets go, the job goes like any other.
    psql(f"UPDATE document_jobs SET status = 'succeeded',"
         f" output_name = 'report.pdf', output_size = 4,"
         f" lease_expires_at = NULL WHERE id = '{live[1]}'")
    status, totals, stderr = run_cleanup()
    assert status == 0, stderr
    assert (totals["expired_jobs"], totals["expired_bytes"]) == (1, 4)
    assert not job_exists(live[1])
    assert not (STORAGE / live[0] / live[1]).exists()


def long_text():
    """About 270 pages of plain text: seconds of work for LibreOffice, so
    the conversion is still running when cleanup comes."""
    words = ["alpha", "beta", "gamma", "delta", "document", "service"]
    lines = (" ".join(words[(n + k) % len(words)] for k in range(12))
             for n in range(10000))
    return "\n".join(lines).encode()


def test_conversion_in_progress_is_not_pulled_from_under_the_worker(client):
    text = long_text()
    created = client.upload("document_to_pdf", [("long.txt", text)])
    assert created.status == 201, created.body
    job_id = created.json()["id"]
    deadline = time.monotonic() + 120
    while client.get(f"/api/jobs/{job_id}").json()["status"] != "running":
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.02)

    # Expired while the worker converts it.
    psql("UPDATE document_jobs SET expires_at = now() - interval '1 minute'"
         f" WHERE id = '{job_id}'")
    status, totals, stderr = run_cleanup()

    assert status == 0, stderr
    assert totals["expired_jobs"] == 0
    assert psql(f"SELECT status FROM document_jobs WHERE id = '{job_id}'") \
        == ["running"]
    deadline = time.monotonic() + 180
    while psql(f"SELECT status FROM document_jobs WHERE id = '{job_id}'") \
            == ["running"]:
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(0.2)
    assert psql(f"SELECT status FROM document_jobs WHERE id = '{job_id}'") \
        == ["succeeded"]

    status, totals, stderr = run_cleanup()
    assert status == 0, stderr
    assert totals["expired_jobs"] == 1
    assert totals["expired_bytes"] > len(text)
    assert not job_exists(job_id)
    assert not (STORAGE / client.client_id / job_id).exists()


def test_expired_job_reads_as_deleted_before_cleanup_runs(client, corpus):
    name = "docx-footnotes.docx"
    job, _ = client.convert("document_to_pdf", [(name, corpus(name))])
    psql("UPDATE document_jobs SET expires_at = now() - interval '1 second'"
         f" WHERE id = '{job['id']}'")

    for path in (f"/api/jobs/{job['id']}", f"/api/jobs/{job['id']}/download"):
        response = client.get(path)
        assert response.status == 404
        assert response.error_code == "job_not_found"
    assert client.get("/api/jobs").json() == {"jobs": []}
    # The files are still there until cleanup runs; nobody can reach them.
    assert (STORAGE / client.client_id / job["id"] / "output.pdf").exists()


def test_removes_orphans_an_hour_old_and_keeps_younger_and_foreign_files():
    owner, owned_job = insert_job("succeeded")
    write_files(owner, owned_job, {"output.pdf": b"kept"})
    old_orphan = STORAGE / owner / str(uuid.uuid4())
    old_orphan.mkdir()
    (old_orphan / "input-1.docx").write_bytes(b"o" * 100)
    young_orphan = STORAGE / owner / str(uuid.uuid4())
    young_orphan.mkdir()
    (young_orphan / "input-1.docx").write_bytes(b"young")
    age(old_orphan)
    age(STORAGE / owner / owned_job)

    lost_client = STORAGE / str(uuid.uuid4())
    (lost_client / str(uuid.uuid4())).mkdir(parents=True)
    (lost_client / "stray.txt").write_bytes(b"s" * 20)
    age(lost_client)

    old_upload = STORAGE / ".incoming" / str(uuid.uuid4())
    old_upload.mkdir()
    (old_upload / "input-1.docx").write_bytes(b"u" * 300)
    age(old_upload)
    young_upload = STORAGE / ".incoming" / str(uuid.uuid4())
    young_upload.mkdir()

    foreign = STORAGE / "lost+found"
    foreign.mkdir(exist_ok=True)
    age(foreign)

    status, totals, stderr = run_cleanup()

    assert status == 0, stderr
    assert (totals["orphans"], totals["orphan_bytes"]) == (3, 420)
    assert not old_orphan.exists()
    assert not lost_client.exists()
    assert not old_upload.exists()
    assert young_orphan.exists() and young_upload.exists()
    assert foreign.exists()
    assert (STORAGE / owner / owned_job / "output.pdf").read_bytes() == b"kept"
    foreign.rmdir()


def test_fails_jobs_whose_files_vanished(client):
    queued = insert_job("queued", attempts=UNCLAIMABLE_ATTEMPTS,
                        client_id=client.client_id)
    succeeded = insert_job("succeeded", client_id=client.client_id)
    write_files(*succeeded, {"input-1.docx": b"only the input"})
    intact = insert_job("succeeded", client_id=client.client_id)
    write_files(*intact, {"output.pdf": b"result"})

    status, totals, stderr = run_cleanup()

    assert status == 0, stderr
    assert totals["vanished_jobs"] == 2
    assert client.get(f"/api/jobs/{queued[1]}").json()["error"] == {
        "code": "input_missing",
        "message": "the uploaded file is no longer there; upload it again",
    }
    gone = client.get(f"/api/jobs/{succeeded[1]}").json()
    assert gone["status"] == "failed"
    assert gone["error"]["code"] == "output_missing"
    assert client.get(f"/api/jobs/{intact[1]}").json()["status"] == \
        "succeeded"


def test_two_runs_at_once_share_the_work_and_count_everything_once():
    expected_bytes = 0
    jobs = []
    for n in range(40):
        job = insert_job("succeeded", "now() - interval '1 day'")
        expected_bytes += write_files(*job, {"output.pdf": b"p" * (n + 1)})
        jobs.append(job)
    orphans = []
    for _ in range(6):
        orphan = STORAGE / str(uuid.uuid4())
        (orphan / str(uuid.uuid4())).mkdir(parents=True)
        age(orphan)
        orphans.append(orphan)

    results = [None, None]

    def run(slot):
        results[slot] = run_cleanup("--batch-size", "3")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for status, totals, stderr in results:
        assert status == 0, stderr
    total = {
        key: results[0][1][key] + results[1][1][key]
        for key in ("expired_jobs", "expired_bytes", "orphans", "errors")
    }
    assert total == {"expired_jobs": 40, "expired_bytes": expected_bytes,
                     "orphans": 6, "errors": 0}
    assert expected_bytes == 820
    for client_id, job_id in jobs:
        assert not (STORAGE / client_id / job_id).exists()
    assert psql("SELECT count(*) FROM document_jobs"
                " WHERE expires_at <= now()") == ["0"]
    assert not any(orphan.exists() for orphan in orphans)


def test_exits_non_zero_when_the_database_is_away():
    env = dict(os.environ,
               DOCSHIFT_DATABASE=f"host={RUN_DIR}/no-such-dir dbname=x")
    status, totals, stderr = run_cleanup(env=env)

    assert status == 1
    assert totals == {}
    assert "ERROR docshift-cleanup" in stderr
    assert "cleanup failed error=\"cannot connect to the database:" in stderr


def test_rejects_a_bad_batch_size():
    status, _, stderr = run_cleanup("--batch-size", "0")

    assert status == 1
    assert "cannot read --batch-size: '0' is not a whole number above 0" \
        in stderr

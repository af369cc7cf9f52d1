"""Faults under a running load: PostgreSQL restarts, nginx reloads, a pool
process dies. The API answers with its JSON errors meanwhile (never a
500), recovers by itself, and every accepted job ends succeeded, or
failed with a message."""

import glob
import os
import pwd
import shlex
import signal
import subprocess
import threading
import time
import uuid

import pytest

from conftest import RUN_DIR, Client, psql

SERVICE_USER = "docshift" if os.geteuid() == 0 else None


def as_service(command):
    if SERVICE_USER:
        command = ["runuser", "-u", SERVICE_USER, "--"] + command
    subprocess.run(command, check=True, capture_output=True)


def pg_ctl(*args):
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    as_service([f"{bindir}/pg_ctl", "-D", str(RUN_DIR / "pg/data"), *args])


def postgres_options():
    """The options the stack started PostgreSQL with (socket folder and
    all), as pg_ctl recorded them, less the program and data folder."""
    words = shlex.split((RUN_DIR / "pg/data/postmaster.opts").read_text())
    options = words[1:]
    while "-D" in options:
        at = options.index("-D")
        del options[at:at + 2]
    return shlex.join(options)


def pool_processes():
    """This stack's request-serving processes: docshift-fcgi processes of
    this run folder whose parent is docshift-fcgi too (the supervisor)."""
    socket = f"DOCSHIFT_SOCKET={RUN_DIR}/fcgi.sock".encode()
    pids = [int(pid) for pid in subprocess.run(
        ["pgrep", "-x", "docshift-fcgi"], capture_output=True,
        text=True).stdout.split()]
    pids = [pid for pid in pids
            if socket in open(f"/proc/{pid}/environ", "rb").read().split(b"\0")]
    def parent(pid):
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    children = [pid for pid in pids if parent(pid) in pids]
    assert children, "no pool processes found"
    return children


class Load:
    """Clients uploading and polling in threads until stopped; keeps every
    answer's status and every accepted job."""

    def __init__(self, corpus, clients=6):
        self.data = corpus("docx-footnotes.docx")
        self.clients = [Client(str(uuid.uuid4())) for _ in range(clients)]
        self.statuses = []
        self.accepted = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(c,))
                        for c in self.clients]

    def run(self, client):
        while not self.stopping.is_set():
            try:
                created = client.upload("document_to_pdf",
                                        [("load.docx", self.data)])
                self.statuses.append(created.status)
                if created.status == 201:
                    self.accepted.append((client, created.json()["id"]))
                listed = client.get("/api/jobs")
                self.statuses.append(listed.status)
            except OSError:
                self.statuses.append("connection")
            time.sleep(0.2)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(2)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def wait_until_healthy(client, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/api/health").status == 200:
            return
        time.sleep(0.2)
    raise AssertionError("the API did not recover")


def assert_no_job_lost(load):
    for client, job_id in load.accepted:
        job = client.wait_for_job(job_id, timeout=240)
        assert job["status"] in ("succeeded", "failed"), job
        if job["status"] == "failed":
            assert job["error"]["code"] and job["error"]["message"]


def test_postgres_restart_answers_503_then_recovers(client, corpus):
    options = postgres_options()
    with Load(corpus) as load:
        pg_ctl("stop", "-m", "fast", "-w")
        down = client.get("/api/health")
        listed = client.get("/api/jobs")
        pg_ctl("start", "-w", "-o", options,
               "-l", str(RUN_DIR / "logs/postgres.log"))
        wait_until_healthy(client)
        # Every pool process notices the restart by itself and reconnects
        # before it answers, rather than failing one request first.
        after = [client.get("/api/jobs").status for _ in range(12)]
        time.sleep(2)

    assert after == [200] * 12
    assert down.status == 503
    assert down.error_code == "database_unavailable"
    assert listed.status == 503 and listed.error_code == "database_unavailable"
    assert 500 not in load.statuses
    assert set(load.statuses) <= {201, 200, 429, 503}
    assert load.accepted
    assert_no_job_lost(load)


def test_nginx_reload_and_a_killed_pool_process_lose_nothing(client, corpus):
    with Load(corpus) as load:
        nginx_pid = int((RUN_DIR / "nginx/nginx.pid").read_text())
        os.kill(nginx_pid, signal.SIGHUP)
        time.sleep(1)
        os.kill(pool_processes()[0], signal.SIGKILL)
        time.sleep(3)
        wait_until_healthy(client)

    # A request the killed process held answers 502 from nginx, as JSON.
    assert 500 not in load.statuses
    assert set(load.statuses) <= {201, 200, 429, 502}
    assert_no_job_lost(load)
    assert psql("SELECT count(*) FROM document_jobs WHERE status = 'running'"
                " AND lease_expires_at < now()") == ["0"]


def test_full_storage_refuses_uploads_with_503_and_recovers(client, corpus):
    storage = RUN_DIR / "storage"
    owner = pwd.getpwnam(SERVICE_USER) if SERVICE_USER else pwd.getpwuid(
        os.getuid())
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o",
         f"size=1m,mode=0750,uid={owner.pw_uid},gid={owner.pw_gid}",
         "docshift-test", str(storage)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here: "
                    + mounted.stderr.decode().strip())
    try:
        (storage / ".incoming").mkdir()
        os.chown(storage / ".incoming", owner.pw_uid, owner.pw_gid)
        too_big = client.upload(
            "document_to_pdf", [("big.rtf", b"{\\rtf1 " + b"x" * 2_000_000)])
        small = client.upload(
            "document_to_pdf", [("small.docx", corpus("docx-footnotes.docx"))])
        small_job = client.wait_for_job(small.json()["id"])
    finally:
        subprocess.run(["umount", "-l", str(storage)], check=True)

    assert too_big.status == 503
    assert too_big.error_code == "storage_full"
    assert small.status == 201
    assert small_job["status"] == "succeeded"
    assert psql("SELECT count(*) FROM document_jobs WHERE client_id ="
                f" '{client.client_id}'") == ["1"]
    # Room again: uploads work as before.
    job, _ = client.convert(
        "document_to_pdf", [("after.docx", corpus("docx-footnotes.docx"))])
    assert job["status"] == "succeeded"

"""The worker under failure: killed mid-conversion, a hung engine, many jobs
in a row, several workers on one database, PostgreSQL restarting and a
stop signal while a job runs. Each test runs workers of its own, with short
leases and time limits, against the stack's database and storage; the
stack's own worker is stopped meanwhile so it takes none of their jobs."""

import os
import pathlib
import signal
import subprocess
import time
import uuid

import pytest

from conftest import RUN_DIR, Client, psql

BUILD_DIR = pathlib.Path(
    os.environ.get("DOCSHIFT_BUILD_DIR",
                   pathlib.Path(__file__).resolve().parents[2] / "build"))
WORKER = BUILD_DIR / "worker/docshift-worker"
SMALL_DOCX = "docx-footnotes.docx"


def as_service():
    """Services run as 'docshift' when the tests run as root."""
    if os.getuid() != 0:
        return []
    return ["setpriv", "--reuid=docshift", "--regid=docshift",
            "--init-groups", "--"]


def processes():
    """(pid, ppid, state, command line) of every process."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found.append((int(entry.name), int(fields[1]), fields[0],
                      cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return found


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen in {timeout} s")


def job_held_by_office(worker, corpus):
    """Stops the worker's LibreOffice, then submits a job for a new client
    and waits until the worker has claimed it: the job stays running until
    the test lets the office go on or kills it. Returns (client, job id)."""
    worker.signal_office(signal.SIGSTOP)
    client = Client(str(uuid.uuid4()))
    job_id = submit(client, corpus)
    wait_until(lambda: job_row(job_id)[0] == "running", 30,
               "claim of the job")
    return client, job_id


def engine_restarts(reason):
    """docshift_engine_restarts_total for one reason, as /metrics shows it
    for every worker of the database."""
    text = Client().get("/metrics").body.decode()
    line = f'docshift_engine_restarts_total{{reason="{reason}"}} '
    for row in text.splitlines():
        if row.startswith(line):
            return int(row[len(line):])
    return 0


class Worker:
    """One docshift-worker with its own work folder and log."""

    def __init__(self, name, **settings):
        self.name = name
        self.work_dir = RUN_DIR / f"work-{name}"
        self.work_dir.mkdir(exist_ok=True)
        self.log_path = RUN_DIR / "logs" / f"worker-{name}.log"
        if os.getuid() == 0:
            subprocess.run(["chown", "docshift:", str(self.work_dir)],
                           check=True)
        env = dict(os.environ, DOCSHIFT_WORK_DIR=str(self.work_dir),
                   DOCSHIFT_POLL_SECONDS="1")
        env.update({f"DOCSHIFT_{key.upper()}": str(value)
                    for key, value in settings.items()})
        self.slots = int(env.get("DOCSHIFT_WORKER_SLOTS", "2"))
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                as_service() + [str(WORKER)], env=env, stdout=log,
                stderr=subprocess.STDOUT)

    @property
    def log(self):
        return self.log_path.read_text()

    def wait_ready(self, timeout=90):
        wait_until(
            lambda: self.log.count("office engine started") >= self.slots,
            timeout, f"start of {self.slots} engines in worker {self.name}")

    def engine_processes(self, program):
        """Live processes of this worker's engines named `program`; not
        the sandbox processes around them, whose command lines name it
        too."""
        return [(pid, state) for pid, _, state, cmd in processes()
                if program in cmd and str(self.work_dir) + "/" in cmd
                and state != "Z" and not cmd.startswith("/usr/bin/bwrap ")]

    def zombie_children(self):
        return [pid for pid, ppid, state, _ in processes()
                if ppid == self.process.pid and state == "Z"]

    def signal_office(self, signum):
        for pid, _ in self.engine_processes("soffice.bin"):
            os.kill(pid, signum)

    def stop(self, timeout=60):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module", autouse=True)
def stack_worker_paused():
    """Stops the stack's worker for these tests and starts it again after,
    as scripts/lib/stack.sh does, so stop_stack still finds it."""
    # Jobs other tests left for a worker go first: a paused worker of ours
    # must meet only the jobs its test submits. Expired jobs are never
    # taken, nor rows written as running under a lease of an hour.
    wait_until(lambda: not psql(
        "SELECT 1 FROM document_jobs WHERE expires_at > now() AND"
        " (status = 'queued' OR (status = 'running' AND"
        "  lease_expires_at < now() + interval '1 minute')) LIMIT 1"), 300,
        "end of other tests' jobs")
    pid_file = RUN_DIR / "worker.pid"
    pid = int(pid_file.read_text())
    subprocess.run(["pkill", "-TERM", "-P", str(pid)])
    subprocess.run(["kill", "-TERM", str(pid)])
    wait_until(lambda: not pathlib.Path(f"/proc/{pid}").exists() or
               processes_state(pid) == "Z", 60, "stop of the stack's worker")
    yield
    with open(RUN_DIR / "logs/worker.log", "ab") as log:
        restarted = subprocess.Popen(as_service() + [str(WORKER)],
                                     stdout=log, stderr=subprocess.STDOUT)
    pid_file.write_text(f"{restarted.pid}\n")


def processes_state(pid):
    for found, _, state, _ in processes():
        if found == pid:
            return state
    return None


@pytest.fixture
def workers():
    started = []

    def start(name, **settings):
        worker = Worker(name, **settings)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.kill()


def job_row(job_id):
    rows = psql("SELECT status, attempts, coalesce(error_code, '') "
                f"FROM document_jobs WHERE id = '{job_id}'")
    status, attempts, error = rows[0].split("|")
    return status, int(attempts), error


def submit(client, corpus, name=SMALL_DOCX):
    for _ in range(10):
        created = client.upload("document_to_pdf", [(name, corpus(name))])
        # After PostgreSQL restarted, each API process answers 503 once
        # before it connects again.
        if created.status != 503:
            break
    assert created.status == 201, created.body
    return created.json()["id"]


def submit_many(count, corpus):
    """`count` jobs, spread over clients so none reaches its active-job
    limit; returns (client, job id) pairs."""
    jobs = []
    client = None
    for n in range(count):
        if n % 10 == 0:
            client = Client(str(uuid.uuid4()))
        jobs.append((client, submit(client, corpus)))
    return jobs


def wait_for_rows(job_ids, timeout):
    """Waits until every job has finished; returns status per job."""
    ids = ",".join(f"'{job_id}'" for job_id in job_ids)
    query = ("SELECT id, status FROM document_jobs "
             f"WHERE id IN ({ids}) AND status IN ('succeeded', 'failed')")
    wait_until(lambda: len(psql(query)) == len(job_ids), timeout,
               f"end of {len(job_ids)} jobs")
    return dict(row.split("|") for row in psql(query))


def test_job_of_a_killed_worker_completes_after_a_restart(workers, corpus):
    first = workers("killed", lease_seconds=3, worker_slots=1)
    first.wait_ready()
    # A stopped soffice holds the conversion mid-way for as long as needed.
    first.signal_office(signal.SIGSTOP)
    client = Client(str(uuid.uuid4()))
    job_id = submit(client, corpus)
    wait_until(lambda: job_row(job_id)[0] == "running", 30,
               "claim of the job")

    first.kill()

    # Its engine sees the worker gone and takes its soffice along.
    wait_until(lambda: not first.engine_processes("soffice.bin"), 10,
               "exit of the killed worker's engines")
    second = workers("restarted", lease_seconds=3, worker_slots=1)
    job = client.wait_for_job(job_id, timeout=90)
    assert job["status"] == "succeeded"
    assert job_row(job_id) == ("succeeded", 2, "")
    assert f"job={job_id} job started" in second.log


def test_stopped_conversion_times_out_and_next_job_succeeds(workers, corpus):
    worker = workers("hung", conversion_timeout=4, worker_slots=1)
    worker.wait_ready()
    worker.signal_office(signal.SIGSTOP)
    client = Client(str(uuid.uuid4()))

    hung = client.wait_for_job(submit(client, corpus), timeout=60)

    assert hung["status"] == "failed"
    assert hung["error"]["code"] == "timeout"
    assert "longer than 4 seconds" in hung["error"]["message"]
    assert 'why=timeout' in worker.log

    job = client.wait_for_job(submit(client, corpus), timeout=60)
    assert job["status"] == "succeeded"
    pdf = client.get(f"/api/jobs/{job['id']}/download").body
    assert pdf.startswith(b"%PDF-")


def test_hundred_jobs_leave_no_zombie_or_stray_office(workers, corpus):
    worker = workers("hundred", engine_max_jobs=20)
    worker.wait_ready()

    jobs = submit_many(100, corpus)
    statuses = wait_for_rows([job_id for _, job_id in jobs], timeout=300)

    assert set(statuses.values()) == {"succeeded"}
    # However the jobs were shared, the engines reached their file limit
    # and were replaced at least three times.
    assert worker.log.count('why="file limit reached"') >= 3
    time.sleep(1)  # past the worker's periodic reaping
    assert worker.zombie_children() == []
    assert len(worker.engine_processes("soffice.bin")) == worker.slots
    assert len(worker.engine_processes("docshift-office-engine")) == \
        worker.slots

    assert worker.stop() == 0
    wait_until(lambda: not worker.engine_processes("soffice"), 10,
               "exit of the stopped worker's engines")


def test_three_workers_never_take_the_same_job(workers, corpus):
    started = [workers(f"shared-{n}") for n in range(3)]
    for worker in started:
        worker.wait_ready(timeout=180)

    jobs = submit_many(300, corpus)
    job_ids = [job_id for _, job_id in jobs]
    statuses = wait_for_rows(job_ids, timeout=600)

    assert set(statuses.values()) == {"succeeded"}
    ids = ",".join(f"'{job_id}'" for job_id in job_ids)
    assert psql("SELECT DISTINCT attempts FROM document_jobs "
                f"WHERE id IN ({ids})") == ["1"]
    logs = "".join(worker.log for worker in started)
    starts = [logs.count(f"job={job_id} job started") for job_id in job_ids]
    assert starts == [1] * len(job_ids)
    # The work was shared, not left to one worker.
    assert all("job started" in worker.log for worker in started)


def test_postgres_restart_loses_no_job(workers, corpus):
    worker = workers("pg-restart", lease_seconds=3)
    worker.wait_ready()
    jobs = submit_many(30, corpus)
    job_ids = [job_id for _, job_id in jobs]
    # Two conversions are held mid-way while PostgreSQL goes away.
    wait_until(lambda: worker.log.count("job succeeded") >= 2, 60,
               "first results")
    worker.signal_office(signal.SIGSTOP)
    ids = ",".join(f"'{job_id}'" for job_id in job_ids)
    wait_until(lambda: len(psql("SELECT 1 FROM document_jobs WHERE status = "
                                f"'running' AND id IN ({ids})")) == 2, 30,
               "claim of two jobs")

    pg_ctl = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    subprocess.run(as_service() + [
        str(pg_ctl[-1]), "-D", str(RUN_DIR / "pg/data"), "-l",
        str(RUN_DIR / "logs/postgres.log"), "-m", "fast", "-w", "restart"],
        check=True, stdout=subprocess.DEVNULL)
    worker.signal_office(signal.SIGCONT)

    statuses = wait_for_rows(job_ids, timeout=180)
    assert set(statuses.values()) == {"succeeded"}
    assert "lost the database" in worker.log
    # The two held jobs lost their first outcome and ran again.
    assert psql("SELECT count(*) FROM document_jobs "
                f"WHERE id IN ({ids}) AND attempts = 2") == ["2"]


def test_stop_signal_lets_the_running_job_finish(workers, corpus):
    worker = workers("drain", worker_slots=1)
    worker.wait_ready()
    client, running = job_held_by_office(worker, corpus)
    queued = submit(client, corpus)

    worker.process.send_signal(signal.SIGTERM)
    time.sleep(1)
    assert worker.process.poll() is None  # still finishing its job
    worker.signal_office(signal.SIGCONT)

    assert worker.process.wait(60) == 0
    assert job_row(running) == ("succeeded", 1, "")
    assert job_row(queued) == ("queued", 0, "")
    assert not worker.engine_processes("soffice")

    # The job it left queued is taken by the next worker.
    workers("after-drain", worker_slots=1)
    assert client.wait_for_job(queued, timeout=90)["status"] == "succeeded"


def test_office_crash_mid_conversion_fails_over_to_a_cold_run(workers,
                                                              corpus):
    worker = workers("crash", worker_slots=1)
    worker.wait_ready()
    client, crashed = job_held_by_office(worker, corpus)

    crashes_before = engine_restarts("crash")
    worker.signal_office(signal.SIGKILL)

    job = client.wait_for_job(crashed, timeout=90)
    assert job["status"] == "succeeded"
    assert "office engine crashed" in worker.log
    wait_until(lambda: engine_restarts("crash") == crashes_before + 1, 10,
               "the crash counted in /metrics")
    done = [line for line in worker.log.splitlines()
            if f"job={crashed} office engine done" in line]
    assert len(done) == 1 and "engine=cold" in done[0]
    pdf = client.get(f"/api/jobs/{crashed}/download").body
    assert pdf.startswith(b"%PDF-")

    # The slot's next job runs on a new warm engine.
    following = client.wait_for_job(submit(client, corpus), timeout=90)
    assert following["status"] == "succeeded"
    assert worker.log.count("office engine started") == 2
    done = [line for line in worker.log.splitlines()
            if f"job={following['id']} office engine done" in line]
    assert len(done) == 1 and "engine=warm" in done[0]


def test_job_deleted_while_it_runs_is_no_failure(workers, corpus):
    worker = workers("delete", worker_slots=1)
    worker.wait_ready()
    client, deleted = job_held_by_office(worker, corpus)

    assert client.delete(f"/api/jobs/{deleted}").status == 204
    wait_until(lambda: f"job={deleted} job deleted while it ran" in worker.log,
               30, "notice of the deletion")
    worker.signal_office(signal.SIGCONT)

    # The slot finishes the conversion, throws the result away and goes on.
    following = client.wait_for_job(submit(client, corpus), timeout=90)
    assert following["status"] == "succeeded"
    lines = [line for line in worker.log.splitlines()
             if f"job={deleted}" in line]
    assert [line.split()[1] for line in lines] == ["INFO"] * len(lines)
    assert sum("job deleted while it ran" in line for line in lines) == 1
    assert not [line for line in lines if "job failed" in line]
    assert client.client_id not in worker.log
    assert not psql(f"SELECT 1 FROM document_jobs WHERE id = '{deleted}'")
    assert not (RUN_DIR / "storage" / client.client_id / deleted).exists()

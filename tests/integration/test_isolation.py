"""Isolation between clients, as a property: many clients, many jobs, and
10 000 random (client, job, endpoint) probes. No response may reveal a job,
a file or a file name that belongs to another client."""

import concurrent.futures
import json
import os
import random
import uuid

from conftest import RUN_DIR, Client, psql

CLIENTS = 25
JOBS_PER_CLIENT = 4
PROBES = 10_000


def seed_jobs():
    """Writes finished jobs straight into the database and storage, each
    with a file name no other job has, so a leak is easy to spot."""
    owners = {}
    values = []
    for _ in range(CLIENTS):
        client_id = str(uuid.uuid4())
        for _ in range(JOBS_PER_CLIENT):
            job_id = str(uuid.uuid4())
            secret = f"secret-{uuid.uuid4().hex}"
            owners[job_id] = (client_id, secret)
            inputs = json.dumps([{"name": f"{secret}.docx", "size": 10}])
            values.append(
                f"('{job_id}', '{client_id}', 'document_to_pdf',"
                f" 'succeeded', '{inputs}', '{secret}.pdf', 9, 1,"
                " now(), now())"
            )
            folder = RUN_DIR / "storage" / client_id / job_id
            folder.mkdir(parents=True)
            (folder / "output.pdf").write_bytes(b"%PDF-1.4\n" + secret.encode())
            os.chmod(folder, 0o755)
            os.chmod(folder.parent, 0o755)
    psql(
        "INSERT INTO document_jobs (id, client_id, conversion, status,"
        " inputs, output_name, output_size, attempts, started_at,"
        " finished_at) VALUES " + ", ".join(values)
    )
    return owners


def probe(owners, client_ids, rng):
    client_id = rng.choice(client_ids)
    job_id = rng.choice(list(owners))
    owner, secret = owners[job_id]
    endpoint = rng.choice(["get", "download", "delete", "list"])
    client = Client(client_id)

    if endpoint == "list":
        response = client.get("/api/jobs")
        own = {j for j, (o, _) in owners.items() if o == client_id}
        listed = {job["id"] for job in response.json()["jobs"]}
        return response, listed == own, client_id
    if endpoint == "delete" and owner == client_id:
        endpoint = "get"  # the owner's delete would change the population
    path = {"get": f"/api/jobs/{job_id}",
            "download": f"/api/jobs/{job_id}/download",
            "delete": f"/api/jobs/{job_id}"}[endpoint]
    response = (client.delete(path) if endpoint == "delete"
                else client.get(path))

    if owner == client_id:
        ok = response.status == 200 and secret.encode() in response.body
    else:
        ok = (response.status == 404
              and response.error_code == "job_not_found")
    return response, ok, client_id


def test_no_probe_reveals_another_clients_job():
    owners = seed_jobs()
    client_ids = sorted({owner for owner, _ in owners.values()})
    secrets_of = {}
    for owner, secret in owners.values():
        secrets_of.setdefault(owner, set()).add(secret)
    rng = random.Random(20261203)
    seeds = [rng.random() for _ in range(PROBES)]

    def run(seed):
        return probe(owners, client_ids, random.Random(seed))

    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for response, ok, client_id in pool.map(run, seeds):
            body = response.body.decode("latin-1")
            foreign = [s for owner, found in secrets_of.items()
                       if owner != client_id for s in found if s in body]
            foreign += [o for o in client_ids
                        if o != client_id and o in body]
            if not ok or foreign:
                failures.append((response.status, body[:200], foreign))

    assert failures == []
    # Every job is still there: no probe deleted another client's job.
    assert psql(
        "SELECT count(*) FROM document_jobs WHERE output_name LIKE"
        " 'secret-%'") == [str(CLIENTS * JOBS_PER_CLIENT)]

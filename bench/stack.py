"""A docshift stack for benchmarks: the same scripts/lib/stack.sh the tests
use, started on a free port in its own run folder, with psql at hand."""

import os
import pathlib
import socket
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[1]


class Stack:
    def __init__(self, name, extra_env=None):
        self.run_dir = pathlib.Path(
            os.environ.get("DOCSHIFT_RUN_DIR", ROOT / "run" / name))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = extra_env or {}

    def _shell(self, command):
        script = (f'ROOT="{ROOT}"; RUN_DIR="{self.run_dir}"; '
                  f'PORT={self.port}; '
                  'source "$ROOT/scripts/lib/stack.sh"; ' + command)
        subprocess.run(["bash", "-c", script], check=True,
                       env={**os.environ, **self.extra_env})

    def __enter__(self):
        subprocess.run(["rm", "-rf", str(self.run_dir)], check=True)
        self._shell("build; PG_EXTRA_OPTIONS='-c fsync=off "
                    "-c max_connections=200'; start_stack")
        return self

    def __exit__(self, *exc):
        self._shell("SERVICE_USER=$(service_user); stop_stack")

    @property
    def pg_socket_dir(self):
        return str(self.run_dir / "pg")

    def psql(self, sql):
        result = subprocess.run(
            ["psql", "-h", self.pg_socket_dir, "-U", "docshift", "-d",
             "docshift", "-qtAX", "-c", sql],
            check=True, capture_output=True, text=True)
        return result.stdout.split()

    def pool_pids(self):
        """The FastCGI pool's worker processes (not their parent)."""
        pids = subprocess.run(["pgrep", "-f", "docshift-fcgi"],
                              capture_output=True, text=True).stdout.split()
        parents = {pid: parent_of(pid) for pid in pids}
        return [pid for pid, parent in parents.items() if parent in parents]


def parent_of(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

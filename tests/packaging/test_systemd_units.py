"""The systemd units as the package installs them: `systemd-analyze
verify` accepts each one against a root holding the package's files (so
every ExecStart= names a program the package ships), and the settings the
services depend on are there."""

import pathlib
import shutil
import subprocess

import pytest

from conftest import copy_tree

UNITS = ["docshift-fcgi.socket", "docshift-fcgi.service",
         "docshift-worker.service", "docshift-cleanup.service",
         "docshift-cleanup.timer"]
HOST_UNITS = pathlib.Path("/lib/systemd/system")


@pytest.fixture(scope="module")
def system_root(root, tmp_path_factory):
    """The package's files plus the host's own units (sysinit.target and
    the rest the docshift units are ordered against)."""
    path = tmp_path_factory.mktemp("system-root")
    copy_tree(HOST_UNITS, path / "lib/systemd/system")
    copy_tree(root, path)
    return path


def verify(system_root, unit):
    return subprocess.run(
        ["systemd-analyze", "verify", f"--root={system_root}", "--man=no",
         f"/lib/systemd/system/{unit}"],
        capture_output=True, text=True,
    )


@pytest.mark.parametrize("unit", UNITS)
def test_unit_passes_systemd_analyze_verify(system_root, unit):
    result = verify(system_root, unit)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_verify_fails_when_a_program_is_missing(system_root, tmp_path):
    broken = tmp_path / "root"
    copy_tree(system_root, broken)
    (broken / "usr/bin/docshift-worker").unlink()

    result = verify(broken, "docshift-worker.service")

    assert result.returncode != 0
    assert "Command /usr/bin/docshift-worker is not executable" in \
        result.stderr


def unit_settings(root, unit):
    """Every Key=value line of a unit, comments left out."""
    settings = []
    for line in (root / "lib/systemd/system" / unit).read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            settings.append(line.strip())
    return settings


def test_fcgi_gets_the_socket_on_fd_0_from_its_socket_unit(root):
    socket = unit_settings(root, "docshift-fcgi.socket")
    assert "ListenStream=/run/docshift/fcgi.sock" in socket
    assert {"SocketUser=docshift", "SocketGroup=www-data",
            "SocketMode=0660", "Accept=no"} <= set(socket)
    service = unit_settings(root, "docshift-fcgi.service")
    assert {"Type=notify", "StandardInput=socket", "StandardOutput=journal",
            "UnsetEnvironment=DOCSHIFT_SOCKET", "Requires=docshift-fcgi.socket",
            "EnvironmentFile=/etc/docshift/docshift.conf", "User=docshift",
            "Restart=on-failure"} <= set(service)


def test_worker_has_no_network_and_a_watchdog(root):
    worker = set(unit_settings(root, "docshift-worker.service"))
    assert {"Type=notify", "PrivateNetwork=yes",
            "RestrictAddressFamilies=AF_UNIX AF_NETLINK", "WatchdogSec=60s",
            "ReadWritePaths=/var/lib/docshift/storage /var/lib/docshift/work",
            "ProtectSystem=strict", "NoNewPrivileges=yes",
            "Restart=on-failure"} <= worker
    # Engines get resource limits through setrlimit and prlimit.
    assert not any("@resources" in setting for setting in worker)


def test_worker_allows_the_engine_sandbox_and_little_else(root):
    worker = unit_settings(root, "docshift-worker.service")
    assert "RestrictNamespaces=user mnt pid ipc uts net" in worker
    assert "SystemCallFilter=@system-service @mount" in worker
    denied = " ".join(setting.split("=~", 1)[1] for setting in worker
                      if setting.startswith("SystemCallFilter=~"))
    for group in ("@module", "@raw-io", "@reboot", "@swap", "@clock",
                  "@debug", "chroot", "bpf"):
        assert group in denied.split()


def test_cleanup_runs_hourly_and_catches_up_after_downtime(root):
    timer = unit_settings(root, "docshift-cleanup.timer")
    assert {"OnCalendar=hourly", "Persistent=true",
            "WantedBy=timers.target"} <= set(timer)
    service = set(unit_settings(root, "docshift-cleanup.service"))
    assert {"Type=oneshot", "ExecStart=/usr/bin/docshift-cleanup",
            "User=docshift"} <= service


def test_every_service_is_hardened(root):
    for unit in ("docshift-fcgi.service", "docshift-worker.service",
                 "docshift-cleanup.service"):
        settings = set(unit_settings(root, unit))
        assert {"ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "PrivateDevices=yes", "NoNewPrivileges=yes",
                "CapabilityBoundingSet=", "UMask=0027"} <= settings, unit
        assert any(setting.startswith("SystemCallFilter=@system-service")
                   for setting in settings), unit

"""Fixtures for the packaging tests: the .deb built by CPack from the
build folder, unpacked into a temporary root as dpkg would lay it out, and
a minimal Debian root made by debootstrap to install it into for real."""

import contextlib
import fcntl
import os
import pathlib
import shutil
import signal
import subprocess
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD_DIR = pathlib.Path(os.environ.get("DOCSHIFT_BUILD_DIR", REPO / "build"))


@pytest.fixture(scope="session")
def deb(tmp_path_factory):
    """Builds the .deb and returns its path."""
    out = tmp_path_factory.mktemp("deb")
    subprocess.run(
        ["cpack", "-G", "DEB", "-B", str(out)],
        cwd=BUILD_DIR, check=True, capture_output=True, text=True,
    )
    debs = sorted(out.glob("docshift_*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


@pytest.fixture(scope="session")
def root(deb, tmp_path_factory):
    """The package's files unpacked under a fresh root."""
    path = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(path)], check=True)
    return path


@pytest.fixture(scope="session")
def control(deb, tmp_path_factory):
    """The package's control folder: control, conffiles, maintainer
    scripts."""
    path = tmp_path_factory.mktemp("control")
    subprocess.run(["dpkg-deb", "-e", str(deb), str(path)], check=True)
    return path


def control_fields(text):
    """The fields of a control file as a dict (continuation lines
    joined)."""
    fields = {}
    key = None
    for line in text.splitlines():
        if line.startswith(" ") and key:
            fields[key] += "\n" + line.strip()
        elif ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
    return fields


def copy_tree(source, target):
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)


# The Debian root the package is installed into. debootstrap fetches some
# ninety packages from the mirror and unpacks them (half a minute on a good
# line, 200 MB), so the root is made once per machine under the cache
# folder and copied for each session.
SUITE = "bookworm"
MIRROR = os.environ.get("DOCSHIFT_DEBIAN_MIRROR",
                        "http://deb.debian.org/debian")
CACHE_DIR = pathlib.Path(os.environ.get("DOCSHIFT_TEST_CACHE_DIR",
                                        "/var/cache/docshift-tests"))
DEBOOTSTRAP_SECONDS = 900
CHROOT_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C",
              "DEBIAN_FRONTEND": "noninteractive"}


def chroot(root, *command, timeout=300):
    """Runs a command inside the root with a clean environment; the
    CompletedProcess, stderr joined to stdout."""
    return subprocess.run(
        ["chroot", str(root), *command], env=CHROOT_ENV, timeout=timeout,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def mounts_under(path):
    """Mount points at or below path, deepest first."""
    path = os.path.realpath(path)
    points = []
    with open("/proc/self/mounts") as mounts:
        for line in mounts:
            point = line.split()[1].replace("\\040", " ")
            if point == path or point.startswith(path + "/"):
                points.append(point)
    return sorted(points, key=len, reverse=True)


def remove_root(path):
    """Deletes a root, first unmounting what debootstrap may have left
    mounted in it (/proc, /sys) when it was stopped, so nothing of the
    host's is deleted through a mount."""
    if not os.path.lexists(path):
        return
    for point in mounts_under(path):
        subprocess.run(["umount", "--lazy", point], check=True)
    subprocess.run(["rm", "-rf", "--one-file-system", str(path)], check=True)


def complete_mark(path):
    """The file left next to a cached root once debootstrap has finished,
    so a root cut short by a timeout or a crash is never taken for a whole
    one."""
    return path.with_name(path.name + ".complete")


def root_is_whole(path):
    """True when a cached root finished debootstrap and still runs dpkg."""
    if not complete_mark(path).is_file():
        return False
    try:
        result = chroot(path, "dpkg-query", "-W", "-f=${Status}", "dpkg",
                        timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.stdout == "install ok installed"


def check_mirror_reachable():
    release = f"{MIRROR}/dists/{SUITE}/Release"
    try:
        with urllib.request.urlopen(release, timeout=30) as response:
            response.read(1)
        return
    except OSError as error:
        reason = error
    pytest.fail(f"cannot reach the Debian mirror: {release}: {reason}; "
                "debootstrap needs it to make the test root "
                "(DOCSHIFT_DEBIAN_MIRROR names another one)", pytrace=False)


def stop_session(process):
    """Stops a process started in a session of its own, with what it
    started (debootstrap's wget and dpkg); its remaining output. SIGTERM
    first, so debootstrap unmounts what it mounted in the target."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.communicate()[0]


def run_debootstrap(target):
    """debootstrap into target, within DEBOOTSTRAP_SECONDS; fails the test
    with the tail of its output when it cannot finish."""
    process = subprocess.Popen(
        ["debootstrap", "--variant=minbase", SUITE, str(target), MIRROR],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=DEBOOTSTRAP_SECONDS)
        timed_out = False
    except subprocess.TimeoutExpired:
        output, timed_out = stop_session(process), True
    if timed_out:
        pytest.fail(f"debootstrap {SUITE} from {MIRROR} took longer than "
                    f"{DEBOOTSTRAP_SECONDS} s and was stopped; its last "
                    "lines:\n" + "\n".join(output.splitlines()[-15:]),
                    pytrace=False)
    if process.returncode != 0:
        pytest.fail(f"debootstrap {SUITE} from {MIRROR} failed with status "
                    f"{process.returncode}; its last lines:\n"
                    + "\n".join(output.splitlines()[-15:]), pytrace=False)


@contextlib.contextmanager
def locked(path):
    """Holds an exclusive lock on path, so sessions running at once make
    the cached root only once and never copy it while it is being made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def debian_root(tmp_path_factory):
    """A fresh minimal Debian root (debootstrap, variant minbase) for this
    session: a copy of the one cached under CACHE_DIR, which is made when
    missing or broken. Tests may change the copy; the cached root is never
    changed once made."""
    if os.geteuid() != 0:
        pytest.skip("installing into a Debian root needs root "
                    "(debootstrap, chroot)")
    cached = CACHE_DIR / f"debootstrap-{SUITE}-minbase"
    copy = tmp_path_factory.mktemp("debian") / "root"
    with locked(CACHE_DIR / f"debootstrap-{SUITE}-minbase.lock"):
        if not root_is_whole(cached):
            complete_mark(cached).unlink(missing_ok=True)
            remove_root(cached)
            partial = cached.with_name(cached.name + ".partial")
            remove_root(partial)
            check_mirror_reachable()
            try:
                run_debootstrap(partial)
            except BaseException:
                remove_root(partial)
                raise
            # The downloaded .debs would only slow each copy down.
            result = chroot(partial, "apt-get", "clean")
            assert result.returncode == 0, result.stdout
            partial.rename(cached)
            complete_mark(cached).touch()
        subprocess.run(["cp", "-a", str(cached), str(copy)], check=True)
    yield copy
    remove_root(copy)

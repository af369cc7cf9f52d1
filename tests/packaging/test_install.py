"""The .deb installed for real with dpkg into a fresh Debian root made by
debootstrap: the files land where they should, the maintainer scripts make
the user, the folders and the unit links, and remove and purge take away
what they should and nothing more."""

import hashlib
import os
import shutil
import subprocess

import pytest

from conftest import REPO, chroot, remove_root
from test_package import PROGRAMS, UNITS, files_under

STATE_FOLDERS = ["/var/lib/docshift", "/var/lib/docshift/storage",
                 "/var/lib/docshift/work"]
# What deb-systemd-helper links for the units postinst enables: each
# unit's WantedBy=, and the socket through the API's Also=.
UNIT_LINKS = {
    "multi-user.target.wants/docshift-fcgi.service":
        "/lib/systemd/system/docshift-fcgi.service",
    "multi-user.target.wants/docshift-worker.service":
        "/lib/systemd/system/docshift-worker.service",
    "sockets.target.wants/docshift-fcgi.socket":
        "/lib/systemd/system/docshift-fcgi.socket",
    "timers.target.wants/docshift-cleanup.timer":
        "/lib/systemd/system/docshift-cleanup.timer",
}
MASKED_UNITS = ["docshift-cleanup.timer", "docshift-fcgi.service",
                "docshift-fcgi.socket", "docshift-worker.service"]


@pytest.fixture(scope="module")
def version(deb):
    return subprocess.run(["dpkg-deb", "-f", str(deb), "Version"],
                          check=True, capture_output=True,
                          text=True).stdout.strip()


def install(root, deb):
    """dpkg -i of the package inside root; its output."""
    shutil.copy(deb, root / "tmp/docshift.deb")
    # The engines and libraries docshift depends on are not in the root
    # (they would make it ten times larger and are not under test), so
    # dpkg is told to go on without them. What the maintainer scripts run
    # (adduser, deb-systemd-helper, runuser) is all in minbase.
    result = chroot(root, "dpkg", "-i", "--force-depends",
                    "/tmp/docshift.deb")
    assert result.returncode == 0, result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def installed(debian_root, deb):
    """The session's Debian root with the package installed, and dpkg's
    output."""
    return debian_root, install(debian_root, deb)


@pytest.fixture
def installed_copy(installed, tmp_path):
    """A copy of the installed root that a test may remove the package
    from."""
    root, _ = installed
    copy = tmp_path / "root"
    subprocess.run(["cp", "-a", str(root), str(copy)], check=True)
    yield copy
    remove_root(copy)


def status(root):
    return chroot(root, "dpkg-query", "-W", "-f=${Status}",
                  "docshift").stdout


def links_under(path):
    """Every symlink below path whose name starts with docshift, with its
    target."""
    return {
        str(p.relative_to(path)): os.readlink(p)
        for p in path.rglob("docshift*") if p.is_symlink()
    }


def names_with_docshift(root):
    """Every path in the root that names docshift, the copied .deb left
    out."""
    return sorted(
        "/" + str(p.relative_to(root)) for p in root.rglob("*docshift*")
        if p != root / "tmp/docshift.deb"
    )


def test_dpkg_installs_and_configures_the_package(installed, version):
    root, _ = installed
    assert status(root) == "install ok installed"
    assert chroot(root, "dpkg-query", "-W", "-f=${Version}",
                  "docshift").stdout == version


def test_installs_programs_units_data_and_conffile(installed):
    root, _ = installed
    for program in PROGRAMS:
        assert os.access(root / "usr/bin" / program, os.X_OK), program
    assert sorted(p.name for p in (root / "lib/systemd/system")
                  .glob("docshift-*")) == UNITS
    assert files_under(root / "usr/share/docshift/sql") == \
        files_under(REPO / "sql")
    assert files_under(root / "usr/share/docshift/frontend") == \
        files_under(REPO / "frontend")
    assert (root / "usr/share/docshift/nginx/docshift-site.conf").is_file()
    conf = root / "etc/docshift/docshift.conf"
    md5 = hashlib.md5(conf.read_bytes()).hexdigest()
    assert chroot(root, "dpkg-query", "-W", "-f=${Conffiles}",
                  "docshift").stdout == f" /etc/docshift/docshift.conf {md5}"
    assert chroot(root, "stat", "-c", "%U:%G %a",
                  "/etc/docshift/docshift.conf").stdout == "root:root 644\n"


def test_postinst_creates_the_docshift_system_user_and_group(installed):
    root, output = installed
    user = chroot(root, "getent", "passwd", "docshift").stdout
    name, _, uid, gid, gecos, home, shell = user.strip().split(":")
    assert int(uid) < 1000
    assert (gecos, home, shell) == ("docshift conversion service,,,",
                                    "/var/lib/docshift", "/usr/sbin/nologin")
    group = chroot(root, "getent", "group", "docshift").stdout
    assert group == f"docshift:x:{gid}:www-data\n"
    # The home folder exists before the user, so adduser has nothing to
    # say about it.
    assert "adduser: Warning" not in output


def test_postinst_creates_state_folders_owned_by_docshift(installed):
    root, _ = installed
    result = chroot(root, "stat", "-c", "%n %U:%G %a", *STATE_FOLDERS)
    assert result.stdout.splitlines() == [
        f"{folder} docshift:docshift 750" for folder in STATE_FOLDERS
    ]


def test_postinst_enables_the_units(installed):
    root, _ = installed
    assert links_under(root / "etc/systemd/system") == UNIT_LINKS


def test_postinst_says_how_to_migrate_when_the_database_is_away(installed):
    # No PostgreSQL, nor even libpq, in the root: docshift-migrate cannot
    # run, and the package is configured all the same.
    _, output = installed
    assert ("docshift: the database is not reachable yet, so its schema was "
            "not applied.\n"
            "Create the database (see /usr/share/doc/docshift/deploy.md), "
            "then run:\n"
            "  runuser -u docshift -- sh -c 'set -a; "
            ". /etc/docshift/docshift.conf; exec docshift-migrate'\n"
            "  systemctl restart docshift-fcgi.service "
            "docshift-worker.service\n") in output


def test_purge_removes_everything_but_the_user(installed_copy, version):
    root = installed_copy
    result = chroot(root, "dpkg", "--purge", "docshift")
    assert result.returncode == 0, result.stdout
    # Nothing from prerm or postrm beyond dpkg's own lines.
    assert result.stdout.splitlines()[1:] == [
        f"Removing docshift ({version}) ...",
        f"Purging configuration files for docshift ({version}) ...",
    ]
    query = chroot(root, "dpkg-query", "-W", "docshift")
    assert (query.returncode, query.stdout) == (
        1, "dpkg-query: no packages found matching docshift\n")
    # Programs, units, data, settings, state, unit links, masks and
    # deb-systemd-helper's records are all gone.
    assert names_with_docshift(root) == []
    # The user may still own the database and backups.
    assert chroot(root, "getent", "passwd", "docshift").returncode == 0


def test_remove_keeps_settings_and_state_and_masks_the_units(
        installed_copy, version):
    root = installed_copy
    result = chroot(root, "dpkg", "--remove", "docshift")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[1:] == [
        f"Removing docshift ({version}) ..."]
    assert status(root) == "deinstall ok config-files"
    for program in PROGRAMS:
        assert not (root / "usr/bin" / program).exists(), program
    assert not list((root / "lib/systemd/system").glob("docshift-*"))
    assert (root / "etc/docshift/docshift.conf").is_file()
    result = chroot(root, "stat", "-c", "%n %U:%G %a", *STATE_FOLDERS)
    assert result.stdout.splitlines() == [
        f"{folder} docshift:docshift 750" for folder in STATE_FOLDERS
    ]
    assert links_under(root / "etc/systemd/system") == {
        **UNIT_LINKS, **{unit: "/dev/null" for unit in MASKED_UNITS}}


def test_purge_after_remove_leaves_nothing_behind(installed_copy):
    root = installed_copy
    assert chroot(root, "dpkg", "--remove", "docshift").returncode == 0
    result = chroot(root, "dpkg", "--purge", "docshift")
    assert result.returncode == 0, result.stdout
    assert names_with_docshift(root) == []


def test_reinstall_keeps_the_edited_settings_and_the_user(installed_copy,
                                                          deb):
    root = installed_copy
    conf = root / "etc/docshift/docshift.conf"
    conf.write_text(conf.read_text() + "DOCSHIFT_POOL_SIZE=8\n")
    user = chroot(root, "getent", "passwd", "docshift").stdout

    install(root, deb)

    assert status(root) == "install ok installed"
    assert conf.read_text().endswith("\nDOCSHIFT_POOL_SIZE=8\n")
    assert chroot(root, "getent", "passwd", "docshift").stdout == user
    assert links_under(root / "etc/systemd/system") == UNIT_LINKS

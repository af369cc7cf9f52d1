"""The .deb: files in their FHS places, dependencies on Debian packages,
the configuration example as a conffile, and maintainer scripts that
parse."""

import os
import re
import subprocess

from conftest import REPO, BUILD_DIR, control_fields

PROGRAMS = ["docshift-cleanup", "docshift-fcgi", "docshift-migrate",
            "docshift-office-engine", "docshift-worker"]
UNITS = ["docshift-cleanup.service", "docshift-cleanup.timer",
         "docshift-fcgi.service", "docshift-fcgi.socket",
         "docshift-worker.service"]


def files_under(path):
    return sorted(
        str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()
    )


def test_lays_out_programs_units_data_and_configuration(root):
    for program in PROGRAMS:
        assert os.access(root / "usr/bin" / program, os.X_OK), program
    assert sorted(p.name for p in (root / "lib/systemd/system").iterdir()) \
        == UNITS
    assert files_under(root / "usr/share/docshift/sql") == \
        files_under(REPO / "sql")
    assert files_under(root / "usr/share/docshift/frontend") == \
        files_under(REPO / "frontend")
    assert (root / "usr/share/docshift/nginx/docshift-site.conf").read_text() \
        == (REPO / "nginx/docshift-site.conf").read_text()
    assert (root / "usr/share/doc/docshift/deploy.md").is_file()
    assert (root / "etc/docshift/docshift.conf").is_file()
    # Made by postinst, never shipped: it belongs to the machine.
    assert not (root / "var").exists()


def test_marks_the_configuration_as_conffile(control):
    assert (control / "conffiles").read_text() == \
        "/etc/docshift/docshift.conf\n"


def test_depends_on_debian_packages_for_libraries_and_engines(control):
    fields = control_fields((control / "control").read_text())
    assert fields["Package"] == "docshift"
    depends = {
        re.sub(r"\s*\(.*\)", "", item).strip()
        for item in fields["Depends"].split(",")
    }
    assert {"libfcgi0ldbl", "libpq5", "libjsoncpp25", "libmagic1", "libzip4",
            "libuuid1", "libsystemd0", "libreoffice-writer-nogui",
            "libreoffice-calc-nogui", "libreoffice-impress-nogui", "nginx",
            "postgresql-client", "poppler-utils", "adduser",
            "init-system-helpers", "python3-uno", "qpdf", "ghostscript",
            "img2pdf", "libvips-tools", "pandoc"} <= depends
    for package in depends:
        assert re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", package), package


def test_maintainer_scripts_are_executable_and_parse(control):
    for name in ("postinst", "prerm", "postrm"):
        script = control / name
        assert os.access(script, os.X_OK), name
        assert script.read_text().startswith("#!/bin/sh\n")
        result = subprocess.run(["sh", "-n", str(script)],
                                capture_output=True, text=True)
        assert (result.returncode, result.stderr) == (0, ""), name


def test_postinst_creates_user_and_folders_and_enables_units(control):
    text = (control / "postinst").read_text()
    assert "adduser --system --group --home /var/lib/docshift" in text
    assert ("install -d -o docshift -g docshift -m 0750 /var/lib/docshift \\\n"
            "        /var/lib/docshift/storage /var/lib/docshift/work") in text
    assert "/usr/bin/docshift-migrate" in text
    assert ('units="docshift-fcgi.socket docshift-fcgi.service\n'
            '    docshift-worker.service docshift-cleanup.timer"') in text


def test_configuration_example_names_every_key_with_its_default(root):
    conf = (root / "etc/docshift/docshift.conf").read_text()
    keys_in_code = re.findall(
        r'\{"(DOCSHIFT_[A-Z_]+)"',
        (REPO / "libdocshift/config.cpp").read_text(),
    )
    keys_in_conf = re.findall(r"^#(DOCSHIFT_[A-Z_]+)=", conf, re.MULTILINE)
    assert keys_in_conf == keys_in_code
    assert "\n#DOCSHIFT_STORAGE_DIR=/var/lib/docshift/storage\n" in conf
    assert "\n#DOCSHIFT_MAX_UPLOAD_BYTES=104857600\n" in conf
    assert all(len(line) <= 80 for line in conf.splitlines())


def test_configuration_example_uncommented_is_read_by_sh(root, tmp_path):
    uncommented = tmp_path / "docshift.conf"
    uncommented.write_text(re.sub(
        r"^#(DOCSHIFT_)", r"\1",
        (root / "etc/docshift/docshift.conf").read_text(), flags=re.MULTILINE,
    ))
    result = subprocess.run(
        ["sh", "-c", f"set -a; . {uncommented}; env"],
        capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
        check=True,
    )
    env = dict(line.split("=", 1) for line in result.stdout.splitlines()
               if line.startswith("DOCSHIFT_"))
    assert env["DOCSHIFT_DATABASE"] == "dbname=docshift"
    assert env["DOCSHIFT_SQL_DIR"] == "/usr/share/docshift/sql"
    assert env["DOCSHIFT_SOCKET"] == ""


def test_cmake_install_uses_the_same_places(tmp_path):
    subprocess.run(
        ["cmake", "--install", str(BUILD_DIR), "--prefix", "/usr"],
        env=dict(os.environ, DESTDIR=str(tmp_path)),
        check=True, capture_output=True,
    )
    for program in PROGRAMS:
        assert (tmp_path / "usr/bin" / program).is_file()
    for unit in UNITS:
        assert (tmp_path / "lib/systemd/system" / unit).is_file()
    assert (tmp_path / "etc/docshift/docshift.conf").is_file()
    assert (tmp_path / "usr/share/docshift/sql/001_document_jobs.sql") \
        .is_file()

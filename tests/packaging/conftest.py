"""Fixtures for the packaging tests: the .deb built by CPack from the
build folder, unpacked into a temporary root as dpkg would lay it out."""

import os
import pathlib
import shutil
import subprocess

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

"""Installing ammoflow puts one name in site-packages: ``ammoflow``, with the domain and the interfaces under it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def configured() -> tuple[list[str], dict[str, str]]:
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    return setuptools["packages"], setuptools["package-dir"]


def test_every_folder_with_code_is_installed() -> None:
    """A package left out of the list would work from a checkout and be missing from a wheel."""
    packages, folders = configured()
    found = set()
    for name, folder in folders.items():
        for init in (REPO / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / folder)
            found.add(".".join([name, *relative.parts]))
    assert sorted(found) == sorted(packages)


def test_python_m_ammoflow_runs_outside_the_checkout(tmp_path: Path) -> None:
    code = "import importlib.util as u; print(u.find_spec('tui') is None, u.find_spec('scenarios') is None)"
    names = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert names.stdout.split() == ["True", "True"], names.stderr
    result = subprocess.run(
        [sys.executable, "-m", "ammoflow", "presets"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "baseline" in result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (path,) = folder.glob("ammoflow-*.whl")
    return path


def test_the_wheel_holds_one_top_level_name_and_the_shipped_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"ammoflow", wheel.name.split("-py3")[0] + ".dist-info"}
    for shipped in (
        "ammoflow/__main__.py",
        "ammoflow/scenarios/files/presets/baseline.toml",
        "ammoflow/scenarios/files/data/observations.csv",
        "ammoflow/tui/app.tcss",
    ):
        assert shipped in names


def test_the_installed_wheel_answers_from_its_own_files(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    code = (
        "import ammoflow, sys; print(ammoflow.__file__); "
        "from ammoflow.tui.cli.main import main; sys.argv = ['ammoflow', 'summary', 'baseline']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.startswith(str(tmp_path / "site" / "ammoflow"))
    assert any("Containers" in line or "containers" in line for line in rest)

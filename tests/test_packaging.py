"""Project hygiene: dependencies in sync, clean notebooks, lint, fast import."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(.*)", requirement)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(
        _name_and_spec(r)
        for r in project["dependencies"] + project["optional-dependencies"]["test"]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(
        _name_and_spec(d)
        for d in env["dependencies"]
        if isinstance(d, str) and not d.startswith(("python", "pip"))
    )
    assert conda == wanted


def _tracked_notebooks():
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True)
    return [ROOT / f for f in out.stdout.split() if "/fixtures/" not in f]


def test_committed_notebooks_have_no_outputs_or_execution_counts():
    dirty = []
    for path in _tracked_notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell.get("outputs") or cell.get("execution_count") is not None:
                dirty.append(str(path.relative_to(ROOT)))
                break
        if nb.get("metadata", {}).get("widgets"):
            dirty.append(f"{path.relative_to(ROOT)} (saved widget state)")
    assert not dirty, f"clean these notebooks: {dirty}"


def test_ruff_is_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_importing_the_package_stays_light():
    code = (
        "import sys, autograder; heavy = {'ipywidgets', 'pandas', 'matplotlib', 'nbformat', 'yaml'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

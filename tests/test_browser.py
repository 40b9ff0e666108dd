"""The exercise widget in a real Chromium: in JupyterLab (a course notebook) and through Voila.

Follows /work/shared/notes/browser.md: Debian's /usr/bin/chromium driven by Playwright, servers
on free 127.0.0.1 ports with their own config and runtime dirs, notebooks served from a temp
copy. Without Chromium the tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.

The notebook opened is the first course notebook that shows a rewrite exercise; set
BROWSER_NOTEBOOK=<name>.ipynb to pick another.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.exercises import EXERCISES_DIR, load_catalog

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

ROOT = Path(__file__).parent.parent
COURSE = ROOT / "course"
CHROMIUM = Path("/usr/bin/chromium")
BIN = Path(sys.executable).parent
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXERCISE_CALL = re.compile(r"\bexercise\(\s*[\"']([a-z0-9_-]+)[\"']")
IDLE = re.compile(r"\(ipykernel\)[\s|]*Idle")
TEXTAREA = ".widget-textarea.ex-answer textarea"
CHECK = "button.widget-button.ex-score"
FEEDBACK = ".widget-html.ex-feedback"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def _course_target() -> tuple[Path, str, dict]:
    """(notebook, exercise id, extra env) for the first course notebook calling exercise("<id>")."""
    known = load_catalog(EXERCISES_DIR).exercises
    names = (
        [os.environ["BROWSER_NOTEBOOK"]]
        if os.environ.get("BROWSER_NOTEBOOK")
        else [p.name for p in sorted(COURSE.glob("*.ipynb"))]
    )
    for name in names:
        cells = json.loads((COURSE / name).read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                ids = EXERCISE_CALL.findall("".join(cell["source"]))
                if ids and ids[0] in known:
                    return COURSE / name, ids[0], {}
    pytest.fail(f"no course notebook among {names} shows a known exercise")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp: Path, extra: dict) -> dict:
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        ML_JUDGMENT_PROGRESS_DB=str(tmp / "progress.sqlite3"),
        **extra,
    )
    return env


def _start(cmd: list[str], tmp: Path, env: dict, cwd: Path, ready) -> subprocess.Popen:
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the server below
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if ready():
            return proc
        time.sleep(0.1)
    _stop(proc)
    log_tail = (tmp / "server.log").read_text(errors="replace")[-3000:]
    pytest.fail(f"server did not start: {' '.join(cmd)}\n{log_tail}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log.close()


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _check_answer(page, text: str) -> None:
    from playwright.sync_api import expect

    textarea = page.locator(TEXTAREA).first
    textarea.wait_for(timeout=60_000)
    expect(page.get_by_label("Your rewrite").first).to_be_visible()  # labelled for screen readers
    textarea.fill(text)
    page.locator(CHECK).first.click()
    feedback = page.locator(FEEDBACK).first
    expect(feedback).to_contain_text(re.compile(r"Score \d\.\d\d"), timeout=15_000)
    expect(feedback.locator("mark").first).to_be_visible()


def test_exercise_in_a_course_notebook(page, tmp_path):
    from playwright.sync_api import expect

    started = time.perf_counter()
    notebook, exercise_id, extra = _course_target()
    served = tmp_path / "served"
    shutil.copytree(notebook.parent, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port = _free_port()
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={served}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
    ]
    base = f"http://127.0.0.1:{port}"
    server = _start(
        cmd, tmp_path, _env(tmp_path, extra), served, lambda: _http_ok(f"{base}/api/status")
    )
    try:
        up = time.perf_counter()
        page.goto(f"{base}/lab/tree/{notebook.name}?reset")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        expect(page.locator("#jp-main-statusbar")).to_contain_text(IDLE, timeout=60_000)
        idle = time.perf_counter()
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        model_answer = load_catalog(extra.get("ML_JUDGMENT_EXERCISES_DIR")).exercises[exercise_id]
        _check_answer(page, model_answer.model_answer)
    finally:
        _stop(server)
    done = time.perf_counter()
    print(
        f"\n[browser timing] lab {notebook.name} ({exercise_id}): server {up - started:.1f}s, "
        f"kernel idle {idle - up:.1f}s, run+check {done - idle:.1f}s, total {done - started:.1f}s"
    )


def test_practice_app_through_voila(page, tmp_path):
    from playwright.sync_api import expect

    started = time.perf_counter()
    extra: dict = {}
    exercises = list(load_catalog(EXERCISES_DIR).exercises.values())
    port = _free_port()
    cmd = [
        str(BIN / "voila"),
        str(ROOT / "app" / "practice.ipynb"),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
    ]
    server = _start(cmd, tmp_path, _env(tmp_path, extra), ROOT, lambda: _port_open(port))
    try:
        up = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/")
        _check_answer(page, exercises[0].model_answer)
        checked = time.perf_counter()
        second = exercises[1]
        page.locator(".ex-picker select").select_option(label=f"{second.section}: {second.title}")
        expect(page.get_by_role("heading", name=second.title)).to_be_visible()
    finally:
        _stop(server)
    done = time.perf_counter()
    print(
        f"\n[browser timing] voila: server {up - started:.1f}s, page+check {checked - up:.1f}s, "
        f"switch {done - checked:.1f}s, total {done - started:.1f}s"
    )

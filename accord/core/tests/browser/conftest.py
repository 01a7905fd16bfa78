"""The browser-test harness: the real server, Debian's Chromium and axe-core.

`accord demo --no-serve` fills a throw-away SQLite data directory, `accord serve` (gunicorn)
answers on a free local port, and Playwright drives `/usr/bin/chromium` against it. Every
page a journey lands on is checked with axe-core, and no page may log a Content Security
Policy violation. Without Chromium or axe-core the tests
are skipped, saying why; under CI (the CI variable set) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path(os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(os.environ.get("ACCORD_AXE_JS", ROOT / ".venv/node_modules/axe-core/axe.min.js"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core impacts that fail a page; "moderate" and "minor" are reported by axe only.
BLOCKING_IMPACTS = {"serious", "critical"}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI requires the browser tests)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local server)
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium as root")
    if not AXE_JS.exists():
        _unavailable(f"no axe-core at {AXE_JS}: `make test` installs it with npm")
    from playwright.sync_api import sync_playwright

    # Screenshots of an earlier run would pass for this run's.
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Server:
    base: str
    log: Path


@pytest.fixture(scope="package")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The production server on a free port, over a fresh demo database."""
    data = tmp_path_factory.mktemp("accord-data")
    env = {**os.environ, "ACCORD_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "config.settings"}
    for name in ("ACCORD_DATABASE_URL", "ACCORD_DEBUG", "ACCORD_MEDIA_DIR"):
        env.pop(name, None)
    accord = [sys.executable, "-m", "accord.cli"]
    demo = subprocess.run(  # noqa: S603 (our own command)
        [*accord, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300
    )
    if demo.returncode != 0:
        pytest.fail(f"accord demo --no-serve failed:\n{demo.stdout}\n{demo.stderr}", pytrace=False)
    base = f"http://127.0.0.1:{_free_port()}"
    log_path = data / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own command)
            [*accord, "serve", "--addr", base.removeprefix("http://"), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # collectstatic compresses the static files first: slow on a busy machine.
        deadline = time.monotonic() + 240
        while not _answers(f"{base}/"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"accord serve did not answer:\n{log_path.read_text()}", pytrace=False)
            time.sleep(0.2)
        yield Server(base=base, log=log_path)
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: no request is left
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Journey:
    """One person's visit: a browser page that checks every page it lands on."""

    def __init__(self, page: Any, server: Server):
        self.page = page
        self.base = server.base
        self.server_log = server.log
        self.landed: list[str] = []
        self.checked: set[str] = set()
        self.failed_requests: list[str] = []
        self.csp_violations: list[str] = []
        page.on("framenavigated", self._landed)
        page.on("response", self._response)
        page.on("console", self._console)

    def _landed(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.landed.append(frame.url.split("#")[0])

    def _response(self, response: Any) -> None:
        if response.url.startswith(self.base) and response.status >= 400:
            self.failed_requests.append(f"{response.status} {response.url}")

    def _console(self, message: Any) -> None:
        # Chromium reports every blocked script, style or handler as a console error.
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_violations.append(f"{self.page.url}: {text}")

    def visit(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.check()

    def check(self) -> Any:
        """Run axe-core on the page as it stands; fail on a serious or critical violation."""
        self.page.wait_for_load_state()
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol: an inline <script> tag would be
            # refused by the Content Security Policy, as it should be.
            self.page.evaluate(AXE_JS.read_text() + "\n;undefined")
        violations = self.page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]}))
                .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
        )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {self.page.url}: {blocking}"
        self.checked.add(self.page.url.split("#")[0])
        return self.page

    def check_without_axe(self, reason: str) -> Any:
        """For a page Accord does not draw (the bundled Swagger UI): its policy is still
        checked, its accessibility is its authors'."""
        self.page.wait_for_load_state("networkidle")
        assert reason
        self.checked.add(self.page.url.split("#")[0])
        return self.page

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def finish(self) -> None:
        unchecked = [url for url in self.landed if url not in self.checked]
        assert not unchecked, f"pages landed on without an axe-core check: {unchecked}"
        assert not self.csp_violations, f"Content Security Policy violations: {self.csp_violations}"
        assert not self.failed_requests, (
            f"failed requests: {self.failed_requests}; the server's log is {self.server_log}"
        )


@pytest.fixture
def journey(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Journey]:
    """A fresh visitor (no cookies), English-speaking browser, laptop screen.

    ``@pytest.mark.parametrize("journey", [{"locale": "fr-FR"}], indirect=True)`` changes
    the browser's settings.
    """
    options = {"locale": "en-GB", "viewport": {"width": 1280, "height": 900}}
    options.update(getattr(request, "param", {}))
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    visit = Journey(context.new_page(), server)
    try:
        yield visit
        visit.finish()
    finally:
        context.close()

"""Shared fixtures: a CLI runner, the bundled layers, and a headless Chromium page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch):
    """Every test computes its results (tests of the cache itself switch it back on)."""
    monkeypatch.setenv("HUNAN_MAP_NO_CACHE", "1")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI and return the result (stdout and stderr separate)."""
    from hunan_map.cli.main import app

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args])

    return run


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _chromium() -> str | None:
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's) driven by Playwright; skipped when missing unless
    HUNAN_MAP_REQUIRE_BROWSER=1, which makes a missing browser a failure."""
    exe = _chromium()
    required = os.environ.get("HUNAN_MAP_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("HUNAN_MAP_REQUIRE_BROWSER=1 but playwright is not installed")
        pytest.skip("playwright is not installed (pip install '.[test]')")
    if exe is None:
        if required:
            pytest.fail("HUNAN_MAP_REQUIRE_BROWSER=1 but no Chromium found; apt-get install chromium")
        pytest.skip("no Chromium found; apt-get install chromium to run browser tests")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """Open an HTML file with every network request blocked; returns (page, console messages, requests).

    ``routes`` is a list of ``(url_pattern, handler)`` registered after the blocking route, so
    they take precedence (Playwright runs the newest matching route first): a test serves or
    forwards exactly the requests it means to.
    """
    pages = []

    def go(path: Path, *, block_network: bool = True, viewport=(1200, 900), routes=()):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        messages: list[tuple[str, str]] = []
        requests: list[str] = []
        page.on("console", lambda m: messages.append((m.type, m.text)))
        page.on("pageerror", lambda e: messages.append(("pageerror", str(e))))

        def route(r):
            url = r.request.url
            if url.startswith(("file://", "data:", "blob:")):
                r.continue_()
            else:
                requests.append(url)
                r.abort() if block_network else r.continue_()

        page.route("**/*", route)
        for pattern, handler in routes:
            page.route(pattern, handler)
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("window.hunanMapDrawn !== undefined", timeout=30000)
        pages.append(context)
        return page, messages, requests

    yield go
    for c in pages:
        c.close()

"""Headless Chromium for the page tests: Debian's ``chromium``, driven by
Playwright's client (no browser is ever downloaded).

``page`` is a fresh tab that refuses every request leaving the machine and
records it in ``page.outside_requests``, so a test can assert that a page
works offline. ``screenshot(page, name)`` saves a PNG artifact under
``$AIMAP_ARTIFACTS`` (default ``test-artifacts/`` in the working directory).

Browser tests are marked ``browser``. Without Chromium they skip with the
reason, except under ``CI=true``, where ``.ci/run`` installs it and a missing
browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage",
                 "--disable-gpu", "--no-first-run", "--disable-extensions"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    return os.environ.get("AIMAP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium; .ci/run does it)"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "the playwright client is not installed (pip install -e '.[test]')"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"file", "data", "blob", "about"} or (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    tab.outside_requests = outside  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        context.close()


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("AIMAP_ARTIFACTS", "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves ``name.png`` as a test artifact and returns its path."""

    def take(tab, name: str, full_page: bool = False) -> Path:
        path = artifacts_dir() / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        return path

    return take

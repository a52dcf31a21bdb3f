"""A headless chromium for the browser tests: skipped where it is not installed, required under CI=true."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.browser.chromium import Chromium, Page, chromium_binary


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    """One browser per module (a fresh profile each)."""
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed, and CI must run the browser tests (.ci/run installs it)")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    browser = Chromium(binary)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Chromium) -> Iterator[Page]:
    """A fresh tab."""
    tab = chromium.new_page()
    yield tab
    tab.close()

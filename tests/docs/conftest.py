"""The browser suite's page and API client fixtures, for the JavaScript examples (the
session's one Chromium is tests/conftest.py's)."""

from tests.browser.conftest import api, page, page_log

__all__ = ["api", "page", "page_log"]

"""The browser tests' fixtures (a Chromium page on the real server, the API client) for the
JavaScript examples."""

from tests.browser.conftest import api, browser, page, page_log

__all__ = ["api", "browser", "page", "page_log"]

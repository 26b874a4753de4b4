"""Smoke test: the real dashboard loads in headless Chromium without errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_dashboard_home_renders(app):
    page = app.open("/")  # waits for the script run and fails on a shown exception

    title = page.locator('[data-testid="stApp"] h1').first
    assert title.is_visible()
    assert title.inner_text().strip(), "the home page has an empty <h1>"
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not app.page_errors, f"uncaught JavaScript errors: {app.page_errors}"

    app.screenshot("smoke")

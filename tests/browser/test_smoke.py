"""Smoke test: the real dashboard loads in headless Chromium without errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_dashboard_home_renders(app):
    page = app.open("/")  # waits for the script run and fails on a shown exception

    title = page.locator('[data-testid="stApp"] h1').first
    expect(title).to_be_visible()
    assert title.inner_text().strip(), "the home page has an empty <h1>"
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not app.page_errors, f"uncaught JavaScript errors: {app.page_errors}"

    app.screenshot("smoke")

"""The clinician's page at / in headless Chromium: paste a note, click, see entities highlighted."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.serving.browser import chromium, visit
from tests.serving.conftest import API_TOKEN
from tests.serving.servers import Subprocess

NOTE = "Patient on lisinopril developed rash.\nLater, <b>metformin</b> was started."


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def test_a_pasted_note_comes_back_highlighted(browser: Browser, guarded_server: Subprocess) -> None:
    with visit(browser, guarded_server.url) as seen:
        page = seen.page
        page.goto(guarded_server.url + "/")
        # This server wants a token: the page says so and opens the token field.
        page.wait_for_selector("#model-info:has-text('API token')")
        page.fill("#token", API_TOKEN)
        page.fill("#note", NOTE)
        page.click("#extract")
        page.wait_for_selector("#highlighted mark.entity")
        marks = page.eval_on_selector_all(
            "#highlighted mark.entity", "ms => ms.map(m => [m.dataset.label, m.firstChild.textContent])"
        )
        assert ["DRUG", "lisinopril"] in marks
        assert page.locator("#entity-table tbody tr").count() >= len(marks)
        # The note is shown as text: its markup is displayed, never interpreted.
        assert (
            page.locator("#highlighted b").count() == 0
            and "<b>" in page.locator("#highlighted").text_content()
        )
        page.wait_for_selector("#model-info:has-text('Model synthner_tiny 0.0.1, finds:')")
        assert "entities found" in page.locator("#status").inner_text()
    assert seen.outside == []
    assert [e for e in seen.errors if "401" not in e] == []  # the first, tokenless call was refused
    assert all("lisinopril" not in url for url in seen.requested)

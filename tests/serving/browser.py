"""Debian's headless Chromium driven by Playwright, with every request recorded and any
request that leaves the server's origin aborted (and so reported, never sent)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium (tests/setup_env.sh does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page plus what it asked for: same-origin URLs, refused outside URLs, console errors."""

    page: Page
    requested: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def visit(browser: Browser, origin: str) -> Iterator[Visit]:
    page = browser.new_page()
    record = Visit(page)

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(origin + "/"):
            record.requested.append(url)
            route.continue_()
        else:
            record.outside.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and record.errors.append(message.text))
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    try:
        yield record
    finally:
        page.close()

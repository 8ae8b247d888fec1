"""The OpenAPI docs page works air-gapped: every asset it references is served from here."""

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser

from tests.serving.browser import chromium, visit
from tests.serving.servers import Subprocess

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.mark.parametrize("page", ["/docs", "/"])
def test_pages_reference_only_relative_assets_that_the_server_serves(
    guarded_server: Subprocess, page: str
) -> None:
    html = httpx.get(f"{guarded_server.url}{page}").text
    assets = ASSET.findall(html)
    assert assets, html
    for asset in assets:
        assert "//" not in asset and ":" not in asset, asset
        assert httpx.get(f"{guarded_server.url}/{asset}").status_code == 200, asset


def test_the_openapi_schema_describes_the_extract_endpoint(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) >= {"/v1/extract", "/v1/model", "/healthz", "/readyz", "/metrics"}
    assert "413" in schema["paths"]["/v1/extract"]["post"]["responses"]
    assert client.get("/redoc").status_code == 404  # FastAPI's CDN pages are off


def test_swagger_ui_renders_in_chromium_without_leaving_the_server(
    browser: Browser, guarded_server: Subprocess
) -> None:
    with visit(browser, guarded_server.url) as seen:
        seen.page.goto(f"{guarded_server.url}/docs")
        seen.page.locator(".opblock-summary-path", has_text="/v1/extract").wait_for(timeout=30_000)
        assert "synthner" in seen.page.locator(".swagger-ui .info .title").inner_text()
    assert seen.outside == [] and seen.errors == []
    assert f"{guarded_server.url}/openapi.json" in seen.requested

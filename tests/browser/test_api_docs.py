"""The API docs (`/api/v1/docs`) render in a real browser under the site's
Content-Security-Policy: Swagger UI's script and styles come from our own static files (no
CDN, which the policy blocks and an offline machine cannot reach)."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_api_docs_render_with_no_console_error(live_server, browser, screenshot):
    page = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            r.url.startswith(live_server.url) or r.url.startswith("data:") or outside.append(r.url)
        ),
    )

    page.goto(f"{live_server.url}/api/v1/docs")

    # Swagger UI builds the page from the whole schema in the browser: on a loaded 2-core
    # machine that takes longer than Playwright's default 5 s.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("furima API", timeout=30_000)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    screenshot(page, "api-docs")
    assert problems == []
    assert outside == []

"""What every page state in the browser tests must pass, at every width: no console error
(a Content-Security-Policy refusal is one), no horizontal scrolling, no serious or critical
axe-core violation. Each audited state is saved as var/screenshots/NAME-WIDTH.png.

axe-core is the npm package's own build, vendored under tests/browser/vendor/ (MPL-2.0,
see axe-core.LICENSE; refresh with `npm pack axe-core@4` and copy `axe.min.js`). It is
evaluated through the DevTools protocol, which the page's CSP does not govern, so the page
runs under exactly the policy real visitors get.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = (1280, 390)
BLOCKING = ("serious", "critical")
REFUSAL_LINE = "the server responded with a status of 4"


def open_page(
    browser: Browser, *, width: int, locale: str = "ja-JP", javascript: bool = True
) -> Page:
    """A fresh browser context (its own cookies) whose console errors are collected."""
    context = browser.new_context(
        locale=locale,
        timezone_id="Asia/Tokyo",
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.javascript_enabled = javascript  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),  # type: ignore[attr-defined]
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))  # type: ignore[attr-defined]
    return page


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core findings, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def overflow(page: Page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits its viewport)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def audit(page: Page, name: str, *, refused: bool = False) -> None:
    """Checks the page as it stands and saves its screenshot. `refused`: the state shows a
    refusal, so the browser's own "400 (Bad Request)" line for it is not an error."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": Playwright's default hides the caret with an injected <style>, which
    # the page's CSP reports as a refused inline style at the next htmx swap, a false error.
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True, caret="initial")
    errors = [
        text
        for text in page.console_errors  # type: ignore[attr-defined]
        if not (refused and REFUSAL_LINE in text)
    ]
    assert errors == [], f"{name} at {width}px: console errors {errors}"
    assert overflow(page) <= 0, f"{name} at {width}px scrolls sideways by {overflow(page)}px"
    # axe-core needs JavaScript in the page (evaluating into a page without it never
    # returns); the same markup is audited with JavaScript on by the other tests.
    if page.javascript_enabled:  # type: ignore[attr-defined]
        assert axe_violations(page) == [], f"{name} at {width}px: axe {axe_violations(page)}"

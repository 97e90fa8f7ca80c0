"""Browser check of the rendered book: what a reader sees in Chromium.

Opens every HTML page of the built book (default ``_build/html``) from disk, the way
the README tells readers to open it, in headless Chromium (Debian packages
``chromium`` and ``chromium-driver``) driven by Selenium, at a window width of
1400 px, with every host name unresolvable (the book must work offline). On each
page, once MathJax has finished typesetting, fonts and images are loaded:

  math     no raw TeX is visible: no ``\\(`` ``\\)`` ``\\[`` ``\\]``, ``$...$``,
           ``$$`` or ``\\macro`` in the text of the page (article, both sidebars,
           header, footer) nor in the page title, and no MathJax error box.
           Literal blocks (code cells, program output, inline code) are skipped:
           they show source text verbatim on purpose.
  width    no table, code block, cell output box, display equation or image is
           wider than the article column or scrolls horizontally inside its box
           (content width ``scrollWidth`` > visible width ``clientWidth``).
  images   every ``<img>`` has loaded (``complete`` and ``naturalWidth > 0``).
  console  the browser console has no SEVERE entry (JavaScript errors, resources
           that failed to load -- including anything fetched from the network).

Folded blocks (hide-input cells, dropdowns) are unfolded before the math and width
checks, since a reader can unfold them; their failures are marked "(folded)".
Each page is loaded with empty local storage, as on a reader's first visit.

Screenshots of the introduction and of one chapter are written to
``_build/screenshots/``. Prints a per-page report, then every failure; exits 1 if
anything failed, 2 if the check could not run (no build, no browser).

Run with ``make test-browser`` (after ``make test-book`` or ``make book``), or
``.venv/bin/python tests/browser/check_book.py [--html-dir DIR]``. This is a
script, not a pytest module: ``pytest tests`` does not collect it.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

WINDOW_WIDTH = 1400
WINDOW_HEIGHT = 1000
PAGE_TIMEOUT_S = 60
# Pages of which a full-length screenshot is saved (relative to the HTML root).
SCREENSHOT_PAGES = ("book/intro.html", "notebooks/06_cepc.html")
# Longest screenshot taken, in CSS pixels (a full chapter can be very long).
SCREENSHOT_MAX_HEIGHT = 20000

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    f"--window-size={WINDOW_WIDTH},{WINDOW_HEIGHT}",
    # Offline: every host name fails to resolve, so a page that still needs a CDN
    # (MathJax, fonts, Thebe ...) logs a SEVERE console error and fails the check.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


# --------------------------------------------------------------------------- JS

# Resolves when the page is settled: MathJax (if the page loads it) has typeset,
# web fonts are loaded and every image has loaded or failed.
JS_SETTLE = r"""
const done = arguments[arguments.length - 1];
const timeoutMs = arguments[0];
const t0 = Date.now();
const waitMathJax = () => new Promise((resolve) => {
  const script = document.querySelector('script[src*="mathjax" i], script[src*="tex-chtml" i]');
  if (!script) { resolve("no MathJax on this page"); return; }
  (function poll() {
    const mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) {
      mj.startup.promise.then(() => resolve("ok"), (e) => resolve("MathJax failed: " + e));
    } else if (Date.now() - t0 > timeoutMs) {
      resolve("MathJax did not start within " + timeoutMs + " ms (script " + script.src + ")");
    } else {
      setTimeout(poll, 50);
    }
  })();
});
const waitImages = () => Promise.all(Array.from(document.images).map((img) => {
  img.loading = "eager";
  if (img.complete) return null;
  return new Promise((r) => { img.addEventListener("load", r); img.addEventListener("error", r); });
}));
waitMathJax()
  .then((mj) => document.fonts.ready.then(() => waitImages()).then(() => mj))
  .then((mj) => requestAnimationFrame(() => requestAnimationFrame(() => done(mj))));
"""

# Collects everything the checks need, in one round trip.
JS_COLLECT = r"""
const LITERAL = "pre, code, kbd, samp, script, style, noscript, template, .highlight";
const MATH = "mjx-container, mjx-assistive-mml, .MathJax";

function describe(el) {
  // "cell 7/23 output <pre> under 'Section title': first words ..."
  let where = "";
  const cell = el.closest(".cell");
  if (cell) {
    const cells = Array.from(document.querySelectorAll("article .cell"));
    const part = el.closest(".cell_output") ? " output" : (el.closest(".cell_input") ? " input" : "");
    where += "cell " + (cells.indexOf(cell) + 1) + "/" + cells.length + part + " ";
  }
  // Inside a folded block (e.g. a hide-input cell): seen once the reader unfolds it.
  if (el.closest("details[data-check-was-folded]")) where += "(folded) ";
  let tag = "<" + el.tagName.toLowerCase() + ">";
  if (el.tagName === "MJX-CONTAINER") tag = "display equation";
  let section = el.closest("section");
  let title = "";
  if (section) {
    const h = section.querySelector("h1, h2, h3, h4, h5, h6");
    if (h) title = h.innerText.replace(/\s+/g, " ").replace(/#$/, "").trim();
  }
  let text = (el.tagName === "IMG") ? (el.getAttribute("src") || "") : (el.innerText || el.textContent || "");
  text = text.replace(/\s+/g, " ").trim().slice(0, 70);
  return where + tag + (title ? " in '" + title + "'" : "") + (text ? ": " + JSON.stringify(text) : "");
}

const result = {title: document.title, regions: [], mathErrors: [], width: [], images: [],
                column: null, viewport: window.innerWidth};

// ---- text a reader sees, by region (literal blocks skipped)
// Show collapsed content too, so hidden raw TeX is not missed.
document.querySelectorAll("details").forEach((d) => {
  if (!d.open) d.dataset.checkWasFolded = "1";
  d.open = true;
});
const REGIONS = [
  ["left sidebar", ".bd-sidebar-primary"],
  ["right sidebar", ".bd-sidebar-secondary"],
  ["header", "header, .bd-header-article"],
  ["footer", "footer, .prev-next-area"],
  ["article", "article"],
];
const texts = {};
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const p = n.parentElement;
  if (!p || p.closest(LITERAL) || p.closest(MATH)) continue;
  if (!p.checkVisibility({visibilityProperty: true})) continue;
  let name = "page";
  for (const [label, sel] of REGIONS) { if (p.closest(sel)) { name = label; break; } }
  texts[name] = (texts[name] || "") + n.nodeValue;
}
for (const [name, text] of Object.entries(texts)) result.regions.push({name: name, text: text});
document.querySelectorAll("mjx-merror, mjx-container [data-mjx-error]").forEach((e) => {
  result.mathErrors.push(describe(e.closest("mjx-container") || e) + " -- " +
                         (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 100));
});

// ---- widths, against the content box of the article column
// The search page has no <article>; its column is the article container.
const article = document.querySelector("article.bd-article") || document.querySelector(".bd-article-container");
if (article) {
  const cs = getComputedStyle(article);
  const r = article.getBoundingClientRect();
  const left = r.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft);
  const right = r.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight);
  result.column = {left: left, right: right, width: right - left};
  const candidates = article.querySelectorAll(
    "table, pre, div.highlight, div.cell_output, div.output, mjx-container[display='true'], img, iframe, svg:not(mjx-container svg)");
  const flagged = [];
  for (const el of candidates) {
    if (!el.checkVisibility()) continue;
    const b = el.getBoundingClientRect();
    if (b.width === 0 && b.height === 0) continue;
    const problems = [];
    if (b.left < left - 1 || b.right > right + 1) {
      problems.push("box " + Math.round(b.width) + " px wide, reaches " +
                    Math.round(b.left - left) + ".." + Math.round(b.right - left) +
                    " px of a " + Math.round(right - left) + " px column");
    }
    // Content wider than its (scrolling) box: a horizontal scrollbar in the column.
    // Tables are measured by their own width, which also covers wrapped tables.
    if (el.tagName !== "TABLE" && el.scrollWidth > el.clientWidth + 1 &&
        getComputedStyle(el).overflowX !== "visible") {
      problems.push("content " + el.scrollWidth + " px wide scrolls inside a " +
                    el.clientWidth + " px box (column " + Math.round(right - left) + " px)");
    }
    if (problems.length) flagged.push([el, describe(el) + ": " + problems.join("; ")]);
  }
  // Report the innermost element only (a wide <pre> also widens its wrappers).
  for (const [el, text] of flagged) {
    if (!flagged.some(([other]) => other !== el && el.contains(other))) result.width.push(text);
  }
  if (article.scrollWidth > article.clientWidth + 1) {
    result.width.push("the article itself scrolls horizontally: " + article.scrollWidth +
                      " px of content in " + article.clientWidth + " px");
  }
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) {
  result.width.push("the page scrolls horizontally: " + document.documentElement.scrollWidth +
                    " px wide in a " + window.innerWidth + " px window");
}

// ---- images
for (const img of document.images) {
  if (!(img.complete && img.naturalWidth > 0)) {
    result.images.push(describe(img) + " did not load (naturalWidth " + img.naturalWidth + ")");
  }
}
return result;
"""

# Raw TeX that should have been typeset. Applied to text outside literal blocks.
RAW_TEX = (
    (r"\( or \)", r"\\[()]"),
    (r"\[ or \]", r"\\[\[\]]"),
    ("$$", r"\$\$"),
    ("$...$", r"\$[^$\s][^$\n]*?\$"),
    (r"\macro", r"\\[A-Za-z]+"),
    ("^{ or _{", r"[\^_]\{"),
)


@dataclass
class PageResult:
    page: str
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def raw_tex_failures(where: str, text: str) -> list[str]:
    out = []
    for label, pattern in RAW_TEX:
        for m in re.finditer(pattern, text):
            a, b = max(0, m.start() - 40), min(len(text), m.end() + 40)
            context = " ".join(text[a:b].split())
            out.append(f"math: raw TeX {label} in {where}: ...{context}...")
            break  # one example per pattern and region is enough
    return out


def find_pages(html_dir: Path) -> list[Path]:
    skip = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static", "jupyter_execute"}
    pages = []
    for p in sorted(html_dir.rglob("*.html")):
        rel = p.relative_to(html_dir)
        if rel.parts[0] in skip or rel.parts[0].startswith("."):
            continue
        pages.append(p)
    return pages


def is_redirect_stub(page: Path) -> str | None:
    """index.html written by jupyter-book is only a <meta refresh> to the root page."""
    head = page.read_text(encoding="utf-8", errors="replace")[:2000]
    m = re.search(r'http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', head, re.I)
    return m.group(1) if m else None


def find_browser() -> tuple[str, str]:
    chromium = os.environ.get("CHROMIUM") or next(
        (p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "") if p and os.access(p, os.X_OK)),
        "",
    )
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or ""
    return chromium, driver


def start_driver(chromium: str, chromedriver: str, profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=opts)
    driver.set_page_load_timeout(PAGE_TIMEOUT_S)
    driver.set_script_timeout(PAGE_TIMEOUT_S)
    # Every page is checked as a reader's first page: nothing is left in storage by
    # the pages checked before it (e.g. the theme's light/dark choice).
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}"},
    )
    return driver


def full_page_screenshot(driver, path: Path) -> None:
    """The whole page at the check's width: the viewport is made as tall as the page
    for the capture, so that sticky elements (the sidebar) are laid out as for a
    reader who scrolls, then restored."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    height = min(int(size["height"]), SCREENSHOT_MAX_HEIGHT)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WINDOW_WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path.write_bytes(base64.b64decode(shot["data"]))


def check_page(driver, html_dir: Path, page: Path, shots: Path) -> PageResult:
    rel = page.relative_to(html_dir).as_posix()
    res = PageResult(rel)
    t0 = time.monotonic()
    driver.get_log("browser")  # drop anything left over from the previous page
    driver.get(page.as_uri())
    # driver.get() returns after the load event, when MathJax's (deferred) script has
    # run if it could be loaded; typesetting itself is awaited without a time limit
    # other than the script timeout.
    settle = driver.execute_async_script(JS_SETTLE, 5000)
    if settle.startswith("no MathJax"):
        res.notes.append(settle)
    elif settle != "ok":
        res.failures.append("math: " + settle)
    if rel in SCREENSHOT_PAGES:  # before JS_COLLECT opens any collapsed <details>
        shots.mkdir(parents=True, exist_ok=True)
        out = shots / (rel.replace("/", "_").removesuffix(".html") + ".png")
        full_page_screenshot(driver, out)
        res.notes.append(f"screenshot {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    info = driver.execute_script(JS_COLLECT)

    if info["viewport"] != WINDOW_WIDTH:
        res.notes.append(f"viewport is {info['viewport']} px wide")
    for f in raw_tex_failures("the page title (browser tab)", info["title"]):
        res.failures.append(f)
    for region in info["regions"]:
        res.failures.extend(raw_tex_failures(f"the {region['name']}", region["text"]))
    res.failures.extend(f"math: MathJax error in {e}" for e in info["mathErrors"])
    if info["column"] is None:
        res.failures.append("width: no article column (article.bd-article) found")
    res.failures.extend(f"width: {w}" for w in info["width"])
    res.failures.extend(f"image: {i}" for i in info["images"])
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            res.failures.append(f"console: {entry.get('message', '').strip()}")
        elif entry.get("level") == "WARNING":
            res.notes.append(f"console warning: {entry.get('message', '').strip()[:200]}")

    res.seconds = time.monotonic() - t0
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--html-dir", type=Path, default=REPO / "_build" / "html",
                    help="the rendered book (default: _build/html)")
    ap.add_argument("--screenshots", type=Path, default=None,
                    help="where screenshots go (default: <html-dir>/../screenshots)")
    args = ap.parse_args(argv)
    html_dir: Path = args.html_dir.resolve()
    shots: Path = (args.screenshots or html_dir.parent / "screenshots").resolve()

    if not (html_dir / "book" / "intro.html").is_file():
        print(f"browser check: no rendered book in {html_dir}; run `make test-book` or `make book` first")
        return 2
    chromium, chromedriver = find_browser()
    if not (chromium and chromedriver):
        print("browser check: Chromium and chromedriver are required: apt-get install chromium chromium-driver "
              "(or set CHROMIUM and CHROMEDRIVER)")
        return 2

    pages = find_pages(html_dir)
    print(f"browser check: {len(pages)} pages of {html_dir} in headless Chromium, window {WINDOW_WIDTH} px, offline")
    results: list[PageResult] = []
    t_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="book-chromium-") as profile:
        driver = start_driver(chromium, chromedriver, profile)
        try:
            caps = driver.capabilities
            print(f"  {caps.get('browserName')} {caps.get('browserVersion')}, chromedriver "
                  f"{caps.get('chrome', {}).get('chromedriverVersion', '?').split()[0]}")
            for page in pages:
                rel = page.relative_to(html_dir).as_posix()
                target = is_redirect_stub(page)
                if target is not None:
                    res = PageResult(rel, notes=[f"redirect to {target}"])
                    if not (page.parent / target.split("#")[0]).is_file():
                        res.failures.append(f"redirect target {target} does not exist")
                else:
                    try:
                        res = check_page(driver, html_dir, page, shots)
                    except Exception as exc:  # one broken page must not hide the others
                        res = PageResult(rel, failures=[f"check crashed: {type(exc).__name__}: {exc}".strip()])
                results.append(res)
                status = "FAIL" if res.failures else "ok  "
                print(f"{status} {rel} ({res.seconds:.1f} s)")
                for f in res.failures:
                    print(f"       {f}")
                for n in res.notes:
                    print(f"       ({n})")
        finally:
            driver.quit()

    failed = [r for r in results if r.failures]
    n_fail = sum(len(r.failures) for r in failed)
    print(f"browser check: {len(results)} pages in {time.monotonic() - t_start:.0f} s; ", end="")
    if not failed:
        print("all passed")
        return 0
    print(f"{n_fail} failures on {len(failed)} pages:")
    for r in failed:
        for f in r.failures:
            print(f"  {r.page}: {f}")
    return 1


if __name__ == "__main__":
    sys.exit(main())

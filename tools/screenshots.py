"""PNG screenshots of the main pages at 390 and 1366 px, for reviewers (`make screenshots`).

Against a running server (`--url http://127.0.0.1:8000`) or, without `--url`, a dev server
started here on `--port` and stopped at the end. Reads the demo objects from the database
the server uses (run `manage.py seed_demo` first; `make screenshots` does). Writes
`<out>/<width>/<role>-<page>.png` (full page) and prints each page's width, marking a page
wider than the window. `--all` takes every demo page, not only the main ones.

    .venv/bin/python tools/screenshots.py --out screenshots
    .venv/bin/python tools/screenshots.py --url http://127.0.0.1:8000 --all
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (390, 1366)
HEIGHT = 768
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"The dev server on port {port} did not start.") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"The dev server on port {port} did not answer.")


def _login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shoot(base_url: str, out: Path, every_page: bool) -> int:
    """Returns how many page/width pairs were wider than the window."""
    from playwright.sync_api import sync_playwright

    from tools.demo_pages import DEMO_PASSWORDS, pages_by_role

    too_wide, seen = 0, set()
    by_role = pages_by_role()  # the ORM before Playwright's event loop runs in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role, pages in by_role.items():
            context = browser.new_context(base_url=base_url, locale="de-DE")
            page = context.new_page()
            _login(page, role, DEMO_PASSWORDS[role])
            for target in pages:
                if not (every_page or target.main) or (not every_page and target.path in seen):
                    continue  # a main page once, as the first role that reaches it
                seen.add(target.path)
                page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
                page.goto(target.path)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    scroll_width = page.evaluate("document.documentElement.scrollWidth")
                    folder = out / str(width)
                    folder.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=folder / f"{role}-{target.name}.png", full_page=True)
                    mark = "" if scroll_width <= width else "  <- wider than the window"
                    too_wide += bool(mark)
                    print(f"{width:>5} {role:<11} {target.path:<48} {scroll_width:>5}{mark}")
            context.close()
        browser.close()
    return too_wide


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start one on --port)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--all", action="store_true", help="every demo page, not only main")
    args = parser.parse_args()
    _django_setup()
    server = None if args.url else _start_server(args.port)
    try:
        too_wide = shoot(args.url or f"http://127.0.0.1:{args.port}", Path(args.out), args.all)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    print(f"Screenshots in {Path(args.out).resolve()}; pages wider than the window: {too_wide}")


if __name__ == "__main__":
    main()

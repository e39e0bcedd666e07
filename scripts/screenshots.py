"""Take full-page screenshots of Peyvand pages with Debian's Chromium (for looking at the UI).

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 OUTDIR [--user manager] [--lang fa] PATH...
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("outdir")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="peyvand-demo")
    parser.add_argument("--lang", default="fa")
    parser.add_argument("--width", type=int, default=1366)
    args = parser.parse_args()
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": args.width, "height": 900}, locale=args.lang)
        context.add_cookies([{"name": "peyvand_language", "value": args.lang, "url": args.base}])
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        if args.user:
            page.goto(f"{args.base}/accounts/login/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
        for path in args.paths:
            page.goto(args.base + path)
            page.wait_for_timeout(600)
            name = re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_") or "home"
            target = out / f"{args.lang}_{args.user or 'anon'}_{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        for error in errors:
            print("console error:", error)
        browser.close()


if __name__ == "__main__":
    main()

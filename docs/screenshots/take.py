"""Take the README's screenshots from a running Coalition site, and report page weight.

Start a site with demo data first (`make demo`), then:

    .venv/bin/python docs/screenshots/take.py --email ADMIN_EMAIL --password ADMIN_PASSWORD

Writes home.png (1280 px wide), home-phone.png (390 px wide) and admin-pledges.png (the admin
pledge list, signed in) next to this file. Uses the system Chromium (Debian package
`chromium`); it never downloads a browser.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_BUDGET = 300 * 1024


def page_weight(page, url: str) -> int:
    """Bytes of `url` and all its resources, uncompressed: an upper bound of what is transferred."""
    sizes = {}

    def record(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # redirects and aborted requests have no body
            sizes[response.url] = 0

    page.on("response", record)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", record)
    return sum(sizes.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", required=True, help="a staff account's e-mail")
    parser.add_argument("--password", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)

        desktop = browser.new_page(viewport={"width": 1280, "height": 800})
        weight = page_weight(desktop, f"{base}/")
        print(f"home page: {weight / 1024:.0f} KB with all resources (budget {PAGE_BUDGET // 1024} KB)")
        desktop.screenshot(path=args.out / "home.png", full_page=True)

        phone = browser.new_page(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
        )
        phone.goto(f"{base}/", wait_until="networkidle")
        phone.screenshot(path=args.out / "home-phone.png", full_page=True)

        admin = browser.new_page(viewport={"width": 1680, "height": 1000})
        # Start with the admin's navigation sidebar closed: more room for the list's columns.
        admin.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
        admin.goto(f"{base}/admin/login/?next=/admin/pledges/pledge/")
        admin.fill("input[name=username]", args.email)
        admin.fill("input[name=password]", args.password)
        admin.click("input[type=submit], button[type=submit]")
        admin.wait_for_url("**/admin/pledges/pledge/**")
        admin.screenshot(path=args.out / "admin-pledges.png")

        browser.close()
    for name in ("home.png", "home-phone.png", "admin-pledges.png"):
        print(f"wrote {args.out / name}")
    if weight > PAGE_BUDGET:
        raise SystemExit(f"home page is over budget: {weight} bytes")


if __name__ == "__main__":
    main()

"""Take the README's screenshots from a running Coalition site, and report page weight.

Start a site with demo data first (`make demo`), then:

    .venv/bin/python docs/screenshots/take.py --email ADMIN_EMAIL --password ADMIN_PASSWORD

Writes home.png (1280 px wide), home-phone.png (390 px wide) and admin-pledges.png (the admin
pledge list, signed in) next to this file; and the public pages (dashboard, explorer with a
search and a facet, a pledge, an entity, a country, a group), each in English and French at
1280 px (clipped at 2400 px tall) and 390 px (clipped at 5000 px): dashboard.png, dashboard-fr.png,
dashboard-phone.png, dashboard-fr-phone.png, ... It prints the weight of a first visit to each
public page: bytes as decoded, and an estimate of what gzip (level 6) would transfer. Uses the system Chromium (Debian package
`chromium`); it never downloads a browser.
"""

import argparse
import gzip
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


def page_weights(page, url: str) -> tuple[int, int]:
    """(decoded bytes, gzip-estimated bytes) of a first visit to `url` with all its resources."""
    bodies = {}

    def record(response):
        try:
            bodies[response.url] = response.body()
        except Exception:  # redirects and aborted requests have no body
            bodies[response.url] = b""

    page.on("response", record)
    page.goto(url, wait_until="networkidle")
    # Scroll to the end, in case anything loads on scrolling.
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 800, 700):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(60)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", record)
    raw = sum(len(b) for b in bodies.values())
    return raw, sum(len(gzip.compress(b, 6)) if b else 0 for b in bodies.values())


def settle(page) -> None:
    """Scroll through (the charts arrive drawn on the server; nothing else loads on the way) and go
    back to the top."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 800, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)


def public_pages(browser, base: str, out: Path, paths: dict[str, str]) -> list[tuple[str, int, int]]:
    weights = []
    for language in ("en", "fr"):
        for width, suffix in ((1280, ""), (390, "-phone")):
            phone = width < 600
            context = browser.new_context(
                viewport={"width": width, "height": 844 if phone else 900}, device_scale_factor=1,
                is_mobile=phone, has_touch=phone, locale=language,
                extra_http_headers={"Accept-Language": language},
            )
            for name, path in paths.items():
                page = context.new_page()
                if language == "en" and not phone:
                    raw, zipped = page_weights(page, f"{base}{path}")
                    weights.append((name, raw, zipped))
                else:
                    page.goto(f"{base}{path}", wait_until="networkidle")
                settle(page)
                file = out / f"{name}{'-fr' if language == 'fr' else ''}{suffix}.png"
                height = page.evaluate("document.documentElement.scrollHeight")
                limit = 5000 if phone else 2400
                if height <= limit:
                    page.screenshot(path=file, full_page=True)
                else:
                    page.screenshot(path=file, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": limit})
                print(f"wrote {file}")
                page.close()
            context.close()
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", required=True, help="a staff account's e-mail")
    parser.add_argument("--password", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--pledge", type=int, default=3, help="id of a published pledge to show")
    parser.add_argument("--entity", type=int, default=3, help="id of an entity to show")
    parser.add_argument("--country", default="KEN", help="ISO3 of a country to show")
    parser.add_argument("--group", default="LDC", help="code of a group to show")
    parser.add_argument("--explorer-query", default="?q=connectivity&type=financial",
                        help="search and facet applied in the explorer's screenshot")
    parser.add_argument("--only-public", action="store_true", help="skip the home and admin screenshots")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)

        weights = public_pages(browser, base, args.out, {
            "dashboard": "/dashboard/",
            "explorer": f"/pledges/{args.explorer_query}",
            "pledge": f"/pledges/{args.pledge}/",
            "entity": f"/entities/{args.entity}/",
            "country": f"/countries/{args.country}/",
            "group": f"/groups/{args.group}/",
        })
        print("| page | decoded KB | gzip KB (estimate) | budget |")
        print("| --- | ---: | ---: | --- |")
        for name, raw, zipped in weights:
            verdict = "within" if zipped <= PAGE_BUDGET else "OVER"
            print(f"| {name} | {raw / 1024:.0f} | {zipped / 1024:.0f} | {verdict} {PAGE_BUDGET // 1024} KB |")
        if args.only_public:
            browser.close()
            return

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

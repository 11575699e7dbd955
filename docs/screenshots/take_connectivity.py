"""Take the screenshots of the connectivity pages (country profile, comparison, gap view) from a
running site with indicator data, in English and French at 1280 and 390 px, and print each
page's first-visit weight (decoded, and gzip-estimated). Same method as take.py.

    .venv/bin/python docs/screenshots/take_connectivity.py --base-url http://127.0.0.1:8011
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright
from take import CHROMIUM_ARGS, HERE, PAGE_BUDGET, public_pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--country", default="KEN", help="ISO3 of the profiled country")
    parser.add_argument("--compare", default="KEN,NPL,VUT", help="ISO3 codes to compare, comma-separated")
    args = parser.parse_args()
    compared = "&".join(f"c={code}" for code in args.compare.split(","))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        weights = public_pages(browser, args.base_url.rstrip("/"), args.out, {
            "connectivity-profile": f"/countries/{args.country}/connectivity/",
            "connectivity-compare": f"/countries/compare/?{compared}",
            "connectivity-gap": "/connectivity/gap/",
        })
        # The gap view's map, drawn on the server: one more picture of it alone.
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{args.base_url.rstrip('/')}/connectivity/gap/", wait_until="networkidle")
        page.locator("#map-heading").scroll_into_view_if_needed()
        top = page.evaluate("document.querySelector('#map-heading').getBoundingClientRect().top + window.scrollY") - 16
        page.screenshot(path=args.out / "connectivity-gap-map.png", full_page=True,
                        clip={"x": 0, "y": top, "width": 1280, "height": 720})
        print(f"wrote {args.out / 'connectivity-gap-map.png'}")
        browser.close()
    print("| page | decoded KB | gzip KB (estimate) | budget |")
    print("| --- | ---: | ---: | --- |")
    for name, raw, zipped in weights:
        verdict = "within" if zipped <= PAGE_BUDGET else "OVER"
        print(f"| {name} | {raw / 1024:.0f} | {zipped / 1024:.0f} | {verdict} {PAGE_BUDGET // 1024} KB |")


if __name__ == "__main__":
    main()

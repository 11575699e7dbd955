"""The charts drawn to SVG on the server, from the same Vega-Lite specs the browser draws.

Public pages show these drawings in their HTML, so a first visit needs no JavaScript and none of
the Vega libraries (about 280 KB compressed, and 230 KB more for the map's borders): those load
only when a reader asks for an interactive chart. PDF reports reuse `chart_svg` for their charts.

`vl-convert-python` runs Vega-Lite and Vega in an embedded JavaScript engine, with its own copy
of Liberation Sans to measure text (so labels are cut at the same place on every machine); the
drawing names the page's font stack, so the browser writes the labels in the page's font. It may
fetch nothing (`allowed_base_urls=[]`): the world map's borders are handed to it inline, from the
world-atlas package the site already serves. Maps are made light before and after drawing: the
borders are simplified to what the drawing's width can show (every island keeps a shape, and
small island States keep their dot), and coordinates are written in half pixels, relative.

Drawing costs CPU (30 to 120 ms for a bar chart, 0.2 to 0.4 s for a map on a 2-core server), so
every drawing is kept in Django's cache under a hash of the spec, its width, the language and
this module's version; `drawings` reads a page's drawings in one round trip to the cache.
"""

import functools
import gzip
import hashlib
import json
import re
from dataclasses import dataclass

import vl_convert
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coalition.explore.charts import ATLAS

VEGA_LITE_VERSION = "6.4"
# Bump when what this module writes changes, so that cached drawings are redrawn.
DRAWING_VERSION = 1
CACHE_SECONDS = 30 * 24 * 3600
# Equal Earth shows the world about twice as wide as high.
MAP_ASPECT = 2.0
# Borders are simplified to a third of a pixel of the drawing's width, and written in half pixels.
MAP_TOLERANCE_PX = 0.35
MAP_UNITS_PER_PX = 2
# Below this width a map is drawn for a phone (`_narrow_map`), higher by its legend's room.
NARROW_MAP = 600
LEGEND_ROOM = 56
# Text is measured (for cutting long labels and making room for them) with the bundled Liberation
# Sans, which has Arial's widths; the browser writes it in the page's font, and DejaVu Sans, Linux's
# usual system-ui, is up to 15% wider. So every text is measured 15% larger than it is written.
TEXT_ROOM = 1.15
# Vega-Lite's text sizes where the spec leaves them unset: (config section, key, default size).
TEXT_SIZES = [
    ("axis", "labelFontSize", 10), ("axis", "titleFontSize", 11), ("legend", "labelFontSize", 10),
    ("legend", "titleFontSize", 11), ("title", "fontSize", 13), ("text", "fontSize", 11),
]

# The same locales as the interactive charts (static/coalition/charts.js).
FRENCH_NUMBERS = {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0$"]}
FRENCH_TIME = {
    "dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
    "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"],
    "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
}


@dataclass(frozen=True)
class Size:
    """The widths, in CSS pixels, a chart is drawn at: `wide` for screens from 40rem on (shrunk to
    its column when narrower, never enlarged) and `narrow` for phones, so that on a 375-pixel
    screen the labels keep their size instead of being scaled down with the chart."""

    wide: int
    narrow: int


# A chart across the page's column (68rem less its padding), and one in a column of two.
FULL = Size(wide=1056, narrow=340)
HALF = Size(wide=512, narrow=340)


@dataclass(frozen=True)
class Drawing:
    """One chart drawn for a page: an SVG element per width (CSS shows the one that fits), its
    title, and what its interactive version would download, in KB."""

    wide: SafeString
    narrow: SafeString
    title: str
    interactive_kb: int


def chart_svg(spec: dict, *, width: int = 640, height: int | None = None) -> str:
    """The chart as a standalone SVG element (role="img", its description as <title> and
    aria-label), `width` CSS pixels wide where the spec says "container"; a map is `width` /
    MAP_ASPECT high unless `height` is given. From the cache when drawn before."""
    return chart_svgs([(spec, width, height)])[0]


def chart_svgs(charts: list[tuple[dict, int, int | None]]) -> list[str]:
    """Several charts at once, as (spec, width, height) triples: one round trip to the cache."""
    language = get_language() or settings.LANGUAGE_CODE
    prepared = []
    for spec, width, height in charts:
        text = json.dumps(spec, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(
            f"{DRAWING_VERSION}|{vl_convert.__version__}|{language}|{width}|{height}|{text}".encode()
        ).hexdigest()
        prepared.append((f"chart-svg:{digest}", text, width, height))
    found = cache.get_many([key for key, *_rest in prepared])
    drawn = {}
    for key, text, width, height in prepared:
        if key not in found and key not in drawn:
            # The ids inside a drawing (gradients, clips) take a prefix of its hash: unique in the page.
            drawn[key] = _draw(json.loads(text), width=width, height=height, language=language, ids=key[10:18])
    if drawn:
        cache.set_many(drawn, timeout=CACHE_SECONDS)
    return [found.get(key) or drawn[key] for key, *_rest in prepared]


def drawings(specs: dict[str, dict], sizes: Size | dict[str, Size]) -> dict[str, Drawing]:
    """Each chart of a page drawn at its two widths (`sizes`, or the size given for its name)."""
    names = list(specs)
    if isinstance(sizes, Size):
        sizes = dict.fromkeys(names, sizes)
    svgs = chart_svgs([(specs[name], width, None) for name in names for width in (sizes[name].wide, sizes[name].narrow)])
    result = {}
    for i, name in enumerate(names):
        wide, narrow = svgs[2 * i], svgs[2 * i + 1]
        result[name] = Drawing(
            wide=mark_safe(wide.replace('class="chart-svg"', 'class="chart-svg chart-svg--wide"', 1)),
            narrow=mark_safe(narrow.replace('class="chart-svg"', 'class="chart-svg chart-svg--narrow"', 1)),
            title=str(specs[name].get("description") or ""),
            interactive_kb=interactive_kb(specs[name]),
        )
    return result


# The Vega libraries, in the order they load (vega-embed needs the other two).
VEGA_SCRIPTS = [
    "vendor/vega/build/vega.min.js", "vendor/vega-lite/build/vega-lite.min.js", "vendor/vega-embed/build/vega-embed.min.js",
]


def interactive_kb(spec: dict) -> int:
    """What the interactive chart downloads, compressed, in KB: the Vega libraries, and the
    world's borders for a map. Said beside the button, for readers on a slow link."""
    files = VEGA_SCRIPTS + ([ATLAS] if '"' + static(ATLAS) + '"' in json.dumps(spec, cls=DjangoJSONEncoder) else [])
    return int(round(sum(_compressed_bytes(name) for name in files) / 1000, -1))


@functools.cache
def _compressed_bytes(name: str) -> int:
    path = finders.find(name)
    if not path:
        return 0
    with open(path, "rb") as handle:
        return len(gzip.compress(handle.read(), compresslevel=6))


# --- Drawing -------------------------------------------------------------------------------------


def _narrow_map(spec: dict, width: int) -> None:
    """A map drawn for a phone: its legend under it, across, and its dots and rings smaller, in
    proportion to the width (no less than half), so that they do not cover the countries."""
    spec.setdefault("config", {}).setdefault("legend", {}).update(
        {"orient": "bottom", "direction": "horizontal", "gradientLength": round(width * 0.6)}
    )
    factor = max(0.5, width / NARROW_MAP)
    for layer in spec.get("layer", []):
        size = layer.get("encoding", {}).get("size", {})
        if "value" in size:
            size["value"] = round(size["value"] * factor, 1)
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "circle" and "strokeWidth" in mark:
            mark["strokeWidth"] = round(max(0.8, mark["strokeWidth"] * factor), 2)


def _draw(spec: dict, *, width: int, height: int | None, language: str, ids: str) -> str:
    """The spec (a copy: it is changed) drawn by vl-convert at the width, then made fit for a page."""
    is_map = "projection" in spec
    if spec.get("width") == "container":
        spec["width"] = width
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    if is_map:
        spec["height"] = height or round(width / MAP_ASPECT) + (LEGEND_ROOM if width < NARROW_MAP else 0)
        spec["autosize"] = {"type": "fit", "contains": "padding"}
        if width < NARROW_MAP:
            _narrow_map(spec, width)
    elif height:
        spec["height"] = height
    spec["background"] = None  # the page's own
    # The drawing is one image (role="img") with its description; marks and axes need no roles.
    config = spec.setdefault("config", {})
    config["aria"] = False
    for section, key, default in TEXT_SIZES:
        part = config.setdefault(section, {})
        part[key] = part.get(key, default) * TEXT_ROOM
    atlas_url = static(ATLAS)
    for layer in [spec, *spec.get("layer", [])]:
        data = layer.get("data") or {}
        if data.get("url") == atlas_url:
            layer["data"] = {"values": _atlas(round(MAP_TOLERANCE_PX * 360 / width, 4)), "format": data["format"]}
    french = language.startswith("fr")
    svg = vl_convert.vegalite_to_svg(
        spec, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[],
        format_locale=FRENCH_NUMBERS if french else None, time_format_locale=FRENCH_TIME if french else None,
    )
    return _for_page(svg, title=spec.get("description") or "", is_map=is_map, ids=ids)


_ROOT = re.compile(r"^<svg\b[^>]*>")
_DIMENSION = re.compile(r'\b(width|height|viewBox)="([^"]*)"')
_INNER_ARIA = re.compile(r' (?:role|aria-roledescription|aria-hidden|aria-label)="[^"]*"')
_TAG = re.compile(r"<[^>]+>")
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")
_FONT_SIZE = re.compile(r'font-size="([\d.]+)px"')
_SHAPES = re.compile(r'(<g class="mark-shape[^>]*>)(.*?)(</g>)', re.DOTALL)
_SHAPE_PATH = re.compile(r'<path transform="translate\(([-\d.]+),([-\d.]+)\)" d="([MLZ\d.,\-e]*)"([^>]*?)stroke-width="([\d.]+)"')


def _for_page(svg: str, *, title: str, is_map: bool, ids: str) -> str:
    """Vega's SVG, made fit to inline in a page: an accessible root, no roles inside, text at the
    size the spec asked for, short numbers, ids unique to the drawing, and (for maps) light
    borders."""
    root = _ROOT.match(svg)
    dimensions = dict(_DIMENSION.findall(root.group()))
    body = _INNER_ARIA.sub("", svg[root.end():])
    body = _FONT_SIZE.sub(lambda m: f'font-size="{_number(float(m.group(1)) / TEXT_ROOM, 2)}px"', body)
    if is_map:
        body = _SHAPES.sub(lambda m: m.group(1) + _SHAPE_PATH.sub(_light_path, m.group(2)) + m.group(3), body)
    body = _TAG.sub(lambda tag: _LONG_DECIMAL.sub(lambda n: _number(float(n.group()), 2), tag.group()), body)
    body = re.sub(r'\bid="([^"]+)"', rf'id="c{ids}-\1"', body)
    body = re.sub(r"url\(#([^)]+)\)", rf"url(#c{ids}-\1)", body)
    body = re.sub(r'href="#([^"]+)"', rf'href="#c{ids}-\1"', body)
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if "xlink:" in body else ""
    label = escape(title)
    description = escape(_("The numbers behind this chart are in the table that goes with it."))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{xlink} class="chart-svg" width="{dimensions["width"]}" '
        f'height="{dimensions["height"]}" viewBox="{dimensions["viewBox"]}" role="img" aria-label="{label}" '
        f'focusable="false"><title>{label}</title><desc>{description}</desc>'
    ) + body


def _number(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _light_path(match: re.Match) -> str:
    """A map's shape rewritten in half-pixel units, each point relative to the one before."""
    tx, ty, d, rest, stroke = match.groups()
    unit = MAP_UNITS_PER_PX
    out, current = [], (0, 0)
    for ring, closed in re.findall(r"M([^MZ]*)(Z?)", d):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", ring)]
        points = []
        for x, y in zip(numbers[0::2], numbers[1::2], strict=True):
            point = (round((x + float(tx)) * unit), round((y + float(ty)) * unit))
            if not points or point != points[-1]:
                points.append(point)
        if closed and len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if not points:
            continue
        start = points[0]
        parts = [f"{'m' if out else 'M'}{start[0] - current[0]},{start[1] - current[1]}"]
        steps = [f"{x - px},{y - py}" for (px, py), (x, y) in zip(points, points[1:], strict=False)]
        if steps:
            parts.append("l" + " ".join(steps).replace(",-", "-").replace(" -", "-"))
        if closed:
            parts.append("z")
            current = start
        else:
            current = points[-1]
        out.append("".join(parts))
    width = _number(float(stroke) * unit, 2)
    return f'<path transform="scale({_number(1 / unit, 3)})" d="{"".join(out)}"{rest}stroke-width="{width}"'


# --- The world's borders -------------------------------------------------------------------------


@functools.cache
def _atlas_file() -> dict:
    path = finders.find(ATLAS)
    if not path:
        raise FileNotFoundError(f"{ATLAS} is missing from the static files: run `npm ci` (make setup)")
    with open(path, encoding="utf-8") as handle:
        topology = json.load(handle)
    topology["objects"] = {"countries": topology["objects"]["countries"]}
    return topology


@functools.lru_cache(maxsize=8)
def _atlas(tolerance: float) -> dict:
    """The atlas with its arcs simplified (Douglas–Peucker, `tolerance` degrees). Arcs are shared
    by the countries on both sides, so neighbours keep a common border. An arc keeps its farthest
    point however short it is, and a closed one (an island) three, so no island vanishes; a ring
    that simplifying would turn inside out (a thin island whose few points cross) keeps its arcs
    whole, since the map would otherwise fill the globe with it; arcs at a pole are kept whole."""
    topology = _atlas_file()
    scale_x, scale_y = topology["transform"]["scale"]
    bottom = topology["transform"]["translate"][1]

    def at_a_pole(points):  # Antarctica's ring closes along the South Pole
        return any(abs(y * scale_y + bottom) > 89.9 for _x, y in points)

    original = [_decoded(arc) for arc in topology["arcs"]]
    simplified = [
        points if at_a_pole(points) else _simplified(points, tolerance, scale_x, scale_y) for points in original
    ]
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        for ring in (ring for polygon in polygons for ring in polygon):
            before, after = _ring_area(original, ring), _ring_area(simplified, ring)
            if before * after <= 0 and before:
                for index in ring:
                    simplified[~index if index < 0 else index] = original[~index if index < 0 else index]
    return {**topology, "arcs": [_encoded(points) for points in simplified]}


def _decoded(arc: list[list[int]]) -> list[tuple[int, int]]:
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append((x, y))
    return points


def _encoded(points: list[tuple[int, int]]) -> list[list[int]]:
    encoded, px, py = [], 0, 0
    for x, y in points:
        encoded.append([x - px, y - py])
        px, py = x, y
    return encoded


def _ring_area(arcs: list[list[tuple[int, int]]], ring: list[int]) -> float:
    """Twice the signed area of a ring made of arcs (a negative index is an arc walked backwards)."""
    total = 0
    for index in ring:
        points = arcs[~index] if index < 0 else arcs[index]
        if index < 0:
            points = points[::-1]
        total += sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))
    return total


def _simplified(points: list[tuple[int, int]], tolerance: float, sx: float, sy: float) -> list[tuple[int, int]]:
    n = len(points)
    if n <= 3:
        return points
    xy = [(x * sx, y * sy) for x, y in points]
    keep = [False] * n
    keep[0] = keep[-1] = True
    if points[0] == points[-1]:
        x0, y0 = xy[0]
        far = max(range(1, n - 1), key=lambda i: (xy[i][0] - x0) ** 2 + (xy[i][1] - y0) ** 2)
        keep[far] = True
        spans = [(0, far), (far, n - 1)]
    else:
        spans = [(0, n - 1)]
    limit = tolerance * tolerance
    for first, last in spans:
        stack, forced = [(first, last)], True
        while stack:
            a, b = stack.pop()
            index, distance = _farthest(xy, a, b)
            if index is not None and (distance > limit or forced):
                keep[index] = True
                stack += [(a, index), (index, b)]
            forced = False
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _farthest(xy: list[tuple[float, float]], a: int, b: int) -> tuple[int | None, float]:
    """The point between a and b farthest from the segment a–b, and its squared distance."""
    (ax, ay), (bx, by) = xy[a], xy[b]
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    best, index = -1.0, None
    for i in range(a + 1, b):
        px, py = xy[i]
        if length:
            t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
            qx, qy = ax + t * dx - px, ay + t * dy - py
        else:
            qx, qy = px - ax, py - ay
        distance = qx * qx + qy * qy
        if distance > best:
            best, index = distance, i
    return index, best

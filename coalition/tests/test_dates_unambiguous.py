"""Dates read without guessing in every language (issue 15, "Say things in words"): French
abbreviates both June and July to "jui", so no template formats a month abbreviated — full
month names ("7 juin 2022", "7 juillet 2022") or numbers only."""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import timezone, translation

ROOT = Path(__file__).resolve().parents[1]
# `|date:"…"` or `|date:'…'` with a literal format (named formats such as DATETIME_FORMAT are
# the locale's own; `coalition.common.formats` makes English's full too).
DATE_FILTER = re.compile(r"""\|date:(["'])(?P<format>[^"']*)\1""")
# Django's format characters for an abbreviated month: "Jan" (M), "jan" (b), "Jan." (N).
ABBREVIATED_MONTH = re.compile(r"(?<!\\)[MbN]")


def test_no_template_abbreviates_a_month():
    offenders = []
    for template in sorted(ROOT.glob("**/templates/**/*.*")):
        if template.suffix not in (".html", ".txt"):
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            for match in DATE_FILTER.finditer(line):
                fmt = match["format"]
                if not fmt.isupper() and ABBREVIATED_MONTH.search(fmt):
                    offenders.append(f"{template.relative_to(ROOT)}:{number}: {fmt}")
    assert offenders == []


def test_june_and_july_differ_in_french(settings):
    def decision(month):
        return SimpleNamespace(get_to_status_display="Publié", actor=None, comment="",
                               at=timezone.make_aware(datetime.datetime(2022, month, 7, 10, 0)))

    with translation.override("fr"):
        html = render_to_string("pledges/_decisions.html", {"decisions": [decision(6), decision(7)]})

    assert "7 juin 2022" in html
    assert "7 juillet 2022" in html
    assert "jui " not in html


def test_a_date_printed_without_a_format_names_its_month_in_full():
    day = datetime.date(2026, 12, 31)
    moment = timezone.make_aware(datetime.datetime(2026, 9, 7, 15, 30))
    template = "{{ day }} | {{ moment }}"
    from django.template import Context, Template

    with translation.override("en"):
        english = Template(template).render(Context({"day": day, "moment": moment}))
    with translation.override("fr"):
        french = Template(template).render(Context({"day": day, "moment": moment}))

    assert english == "31 December 2026 | 7 September 2026, 15:30"
    assert french.startswith("31 décembre 2026 | 7 septembre 2026")

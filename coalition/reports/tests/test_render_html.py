"""The HTML renderer draws every kind of block, in the report's language, and escapes every text."""

import re

from coalition.reports.render.html import report_html
from coalition.reports.tests.samples import HOSTILE, sample_report


def test_it_draws_every_kind_of_block(db):
    html = report_html(sample_report())
    assert '<h1 class="report__title">Title Connectivity for rural schools.</h1>' in html
    assert 'id="figures"' in html and 'id="tables"' in html and 'id="annex-ken"' in html
    assert 'href="#figures"' in html and 'href="#annex-ken"' in html  # contents
    assert "1,234,567" in html and "$12.3M" in html  # key figures, compact dollars
    assert "30 June 2025" in html and "30 June 2024: 1,000,000 (+23.5%)" in html  # as of, a year earlier
    assert '<span class="report-para__number">7.</span>' in html
    assert "<caption>Money table" in html and "$2,500,000" in html and "42.4%" in html and "67.2%" in html
    assert "1.50" in html
    assert "<svg" in html and 'role="img"' in html  # the chart drawn on the server
    assert "The numbers behind this chart" in html
    assert "Sources and notes" in html and 'id="source-1"' in html and "https://example.org/registry" in html
    assert "Annex source" in html  # a section's own sources are listed


def test_footnote_numbers_follow_the_sources_order(db):
    html = report_html(sample_report())
    assert re.search(r'<li id="source-1" value="1">Pledge registry', html)
    assert re.search(r'<li id="source-2" value="2">ITU DataHub', html)
    assert re.search(r'<li id="source-3" value="3">Annex source', html)
    assert 'href="#source-2"' in html  # the numbered paragraph cites the indicators


def test_it_escapes_hostile_text(db):
    html = report_html(sample_report(text=HOSTILE))
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&quot;quoted&quot;" in html


def test_it_writes_numbers_and_dates_in_french(db):
    html = report_html(sample_report(language="fr"))
    assert "1\u202f234\u202f567" in html  # narrow no-break spaces between thousands
    assert "30 juin 2025" in html
    assert 'lang="fr"' in html


def test_a_note_by_the_secretariat_has_the_un_header_and_summary(db):
    html = report_html(sample_report(symbol="ESCAP/82/7"))
    assert "ESCAP/82/7" in html and "Eighty-second session" in html and "Item 5 of the provisional agenda" in html
    assert "Note by the secretariat" in html
    assert 'class="report-summary"' in html and "Summary Connectivity" in html


def test_a_demo_report_says_it_is_illustrative(db):
    from dataclasses import replace

    assert "Illustrative." in report_html(replace(sample_report(), is_demo=True))
    assert "Illustrative." not in report_html(sample_report())

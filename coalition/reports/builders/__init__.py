"""The reports the platform builds: one builder per kind, each a function of an as-of date and
parameters that returns a `document.Report` (built by selectors only, nothing written).

A builder is named here by its import path so that this registry does not load every builder's
selectors; `report_build` runs one in the report's language.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from coalition.common.asof import AsOf
from coalition.reports.document import Report

# Called as the builder goes, with (steps done, steps in all, what it is doing): the annual
# report's country annex is two hundred steps, and the build page shows how far it has got.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    builder: str  # import path of `def build(*, as_of: AsOf, params: dict, progress: Progress) -> Report`


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("annual", _("Annual coalition report"), "coalition.reports.builders.annual.annual_report"),
        Kind("governing-body", _("Progress report to a governing body"),
             "coalition.reports.builders.governing_body.governing_body_report"),
        Kind("country-profile", _("Country profile"), "coalition.reports.builders.country_profile.country_profile_report"),
    )
}


def report_build(*, kind: str, as_of: AsOf, language: str, params: dict, progress: Progress | None = None) -> Report:
    """The report of `kind` as of `as_of`, written in `language` (every label and sentence is
    translated while it is built). Raises KeyError for an unknown kind; a builder raises
    ValidationError naming the parameter it cannot use (an unknown country, body or session)."""
    build = import_string(KINDS[kind].builder)
    with translation.override(language):
        return build(as_of=as_of, params=params, progress=progress or (lambda done, total, step: None))

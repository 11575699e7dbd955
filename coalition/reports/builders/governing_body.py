"""A progress report to a governing body, in the form of a note by the secretariat, as of a date.

Each body the platform reports to is described in `reports/data/governing_bodies.yaml`: its
session (the meeting of `actionplan/data/meetings.yaml` when there is one, so the note and the
meeting page name the same session), the note's symbol and agenda item (flagged when they are
placeholders), the resolution that asks for the report, and the issues put to the body. What the
note reports depends on the resolution: on an action plan (ESCAP resolution 79/10: the plan's
progress, activities and participation, national measures, the ministerial conference, good
practices — `actionplan.selectors.governing_body.plan_report`, the figures of the session's page)
or on the coalition's pledges (ITU Resolution 88: pledges, participation by stakeholder type and
region, the LDCs, LLDCs and SIDS, delivery and reporting — the dashboard's selectors, as the
annual report reads them). Paragraphs are numbered 1 to n through the whole note, as UN notes are.
"""

import functools
from dataclasses import dataclass, replace
from importlib import resources

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.actionplan.models import Meeting, Pillar, Plan
from coalition.actionplan.selectors.governing_body import PlanReport, plan_report
from coalition.actionplan.selectors.progress import versions_at
from coalition.common import formatting
from coalition.common.asof import AsOf
from coalition.common.i18n import pick
from coalition.explore.breakdowns import Breakdown
from coalition.explore.daily import tallies_for
from coalition.explore.dashboard import Dashboard, dashboard_for
from coalition.explore.figures import reporting_statuses_from
from coalition.knowledge.selectors.library import published_versions as practices_published
from coalition.reports.builders import annual
from coalition.reports.builders.annual import COUNTING, DEMO, REGISTRY, REPORTING_RULE, day_text
from coalition.reports.document import Column, Figure, Figures, Paragraph, Report, Section, Source, Table

BODIES_FILE = "governing_bodies.yaml"

# Footnote keys.
RESOLUTION, PLACEHOLDER, PLAN_RECORDS, LIBRARY = "resolution", "placeholder", "plan-records", "library"


@dataclass(frozen=True)
class Body:
    """A governing body and the session a note is addressed to (one entry of the data file)."""

    slug: str
    content: str  # "action-plan" or "pledges"
    data: dict

    def text(self, field: str) -> str:
        """`field` in the active language (`field_en` when there is no translation)."""
        return pick(_Fields(self.data), field)

    def texts(self, field: str) -> list[str]:
        return list(pick(_Fields(self.data), field) or [])

    def flagged(self, field: str) -> bool:
        return bool(self.data.get(f"{field}_illustrative"))


class _Fields:
    """The data file's entry read as attributes, for `common.i18n.pick`."""

    def __init__(self, data: dict):
        self.__dict__.update(data)


@functools.cache
def bodies() -> dict[str, Body]:
    """The bodies of the shipped data file, by slug (read once per process)."""
    text = resources.files("coalition.reports").joinpath("data", BODIES_FILE).read_text(encoding="utf-8")
    return {entry["slug"]: Body(entry["slug"], entry["content"], entry) for entry in yaml.safe_load(text)["bodies"]}


def body_for(params: dict) -> Body:
    """The body `params["body"]` names. Raises ValidationError on `body` for a missing or unknown slug."""
    slug = str(params.get("body") or "").strip()
    known = bodies()
    if slug not in known:
        raise ValidationError({"body": _("“%(slug)s” is not a governing body the platform reports to: choose one of "
                                         "%(known)s.") % {"slug": slug[:40], "known": ", ".join(sorted(known))}})
    return known[slug]


class Numbered:
    """Numbers the note's paragraphs 1 to n, in the order they are written."""

    def __init__(self):
        self.last = 0

    def __call__(self, text: str, sources: tuple[str, ...] = ()) -> Paragraph:
        self.last += 1
        return Paragraph(text, number=self.last, sources=sources)


def _session(body: Body) -> tuple[str, Meeting | None]:
    """The session's name, from its meeting when loaded (as the meeting page names it)."""
    slug = body.data.get("meeting")
    meeting = Meeting.objects.filter(slug=slug).first() if slug else None
    if meeting is not None:
        return meeting.name, meeting
    return body.text("session"), None


def _marked(text: str, flagged: bool) -> str:
    return _("%(text)s (placeholder)") % {"text": text} if flagged else text


def _introduction(body: Body, note: Numbered, *, as_of: AsOf, meeting: Meeting | None) -> Section:
    paragraphs = [note(_("In its %(resolution)s, %(adopted_by)s requested %(whom)s %(requested)s.") % {
        "resolution": body.text("resolution"), "adopted_by": body.text("adopted_by"), "whom": body.text("requested_of"),
        "requested": body.text("requested")}, (RESOLUTION,))]
    paragraphs.append(note(_("The present note reports on that progress with the figures the platform held at the end "
                             "of %(date)s. Each figure can be rebuilt for that date from the records it counts, which "
                             "the footnotes name.") % {"date": day_text(as_of.date)},
                           (PLAN_RECORDS,) if body.content == "action-plan" else (REGISTRY,)))
    if meeting is not None and meeting.illustrative:
        paragraphs.append(note(_("The dates of the session were not published when this note's data were written: "
                                 "the session is shown as the platform's calendar lists it."), (PLACEHOLDER,)))
    return Section("introduction", _("Introduction"), tuple(paragraphs))


def _issues(body: Body, note: Numbered) -> Section:
    return Section("consideration", body.text("consideration"), tuple(note(text) for text in body.texts("issues")))


def _sources(body: Body, as_of: AsOf, *, demo: bool) -> list[Source]:
    resolution = body.text("resolution")
    sources = [Source(RESOLUTION, resolution[:1].upper() + resolution[1:] + ".")]
    if any(body.flagged(field) for field in ("symbol", "agenda_item", "session")):
        sources.append(Source(PLACEHOLDER, _("Placeholder: the document symbol, agenda item or session marked as such "
                                             "had not been published when this note's data were written.")))
    if body.content == "action-plan":  # the note counts no pledge: only say when demo records are counted
        return sources + [source for source in annual.registry_sources(as_of, demo=demo) if source.key == DEMO]
    return sources + annual.registry_sources(as_of, demo=demo)


# --- A note on an action plan (ESCAP resolution 79/10) ----------------------------------------


def _pillar_rows(plan: Plan, report: PlanReport, as_of: AsOf) -> tuple[tuple, ...]:
    pillars = versions_at(Pillar, as_of.moment).filter(plan_id=plan.pk).order_by("order", "code")
    rows = []
    for pillar in pillars:
        found = report.progress.by_pillar.get(pillar.id) if report.progress else None
        rows.append((f"{pillar.code} {pick(pillar, 'name')}", found.share if found else None,
                     found.actions_covered if found else 0, found.actions if found else 0))
    return tuple(rows)


def _action_plan_sections(body: Body, note: Numbered, *, as_of: AsOf) -> tuple[list[Section], list[Source], list[Paragraph]]:
    plan = Plan.objects.filter(slug=body.data["plan"]).first()
    if plan is None:
        raise ValidationError({"body": _("The action plan “%(plan)s” this body's note reports on is not loaded: load "
                                         "it with `coalition actionplan load` first.") % {"plan": body.data["plan"]}})
    report = plan_report(plan=plan, as_of=as_of)
    practices = practices_published(as_of).count()
    day, records = as_of.date, (PLAN_RECORDS,)
    progress, participation = report.progress, report.participation
    sections = []

    figures = Figures((
        Figure("plan:progress", _("Progress of the plan"), progress.share if progress else None, "share", day,
               note=_("deliverables done, weighted by their stated weights"), sources=records),
        Figure("plan:actions", _("Actions"), progress.actions if progress else 0, "count", day, sources=records),
        Figure("plan:actions_covered", _("Actions with a measured progress"), progress.actions_covered if progress else 0,
               "count", day, sources=records),
    ))
    if progress is None:
        text = _("The %(plan)s was not on the platform on %(date)s.") % {"plan": plan.name, "date": day_text(day)}
    elif progress.figure is None:
        text = _("No action of the %(plan)s had a measured deliverable on %(date)s.") % {"plan": plan.name, "date": day_text(day)}
    else:
        text = _("On %(date)s, the %(plan)s stood at %(share)s of its deliverables done, weighted by their stated "
                 "weights, over %(covered)s of its %(actions)s actions; the others had no deliverable with a weight "
                 "yet.") % {"date": day_text(day), "plan": plan.name, "share": formatting.share(progress.share),
                            "covered": formatting.number(progress.actions_covered),
                            "actions": formatting.number(progress.actions)}
    table = Table("table-pillars", _("Progress by pillar"), (
        Column("pillar", _("Pillar")), Column("progress", _("Progress"), "share"),
        Column("covered", _("Actions measured"), "count"), Column("actions", _("Actions"), "count"),
    ), _pillar_rows(plan, report, as_of), sources=records)
    sections.append(Section("plan-progress", _("Progress in implementing the Action Plan"),
                            (note(text, records), figures, table)))

    kinds = "; ".join(f"{label}: {formatting.number(count)}" for label, count in report.activities_by_kind) or "—"
    groups = {group.code: group for group in participation.groups}
    activity_figures = [
        Figure("activities", _("Activities"), report.activities, "count", day, sources=records),
        Figure("participants", _("Participants"), participation.total, "count", day, sources=records),
        Figure("participants:women_share", _("Women among participants"), participation.women_share, "share", day,
               sources=records),
        Figure("participants:countries", _("Countries taking part"), participation.countries, "count", day,
               sources=records),
        *(Figure(f"participants:{code}:share", _("Participants from %(group)s") % {"group": group.name}, group.share,
                 "share", day, sources=records) for code, group in groups.items()),
    ]
    paragraphs = [
        note(ngettext("The secretariat and the working groups held %(count)s capacity-building activity under the "
                      "plan by %(date)s (%(kinds)s).",
                      "The secretariat and the working groups held %(count)s capacity-building activities under the "
                      "plan by %(date)s (%(kinds)s).", report.activities)
             % {"count": formatting.number(report.activities), "date": day_text(day), "kinds": kinds}, records),
        note(ngettext("%(count)s participant took part, from %(countries)s countries; %(women)s of participants were "
                      "women.",
                      "%(count)s participants took part, from %(countries)s countries; %(women)s of participants were "
                      "women.", participation.total)
             % {"count": formatting.number(participation.total), "countries": formatting.number(participation.countries),
                "women": formatting.share(participation.women_share)}, records),
    ]
    if groups:
        paragraphs.append(note(_("As resolution 79/10 asks for knowledge sharing among them in particular, the shares "
                                 "of participants from the least developed countries, landlocked developing countries "
                                 "and small island developing States were: %(shares)s. A participant counts in a "
                                 "group when their country belonged to it on the activity's first day.") % {
            "shares": "; ".join(_("%(group)s %(share)s (%(count)s)") % {
                "group": group.name, "share": formatting.share(group.share), "count": formatting.number(group.participants)}
                for group in groups.values())}, records))
    sections.append(Section("activities", _("Capacity building, activities and participation"),
                            (*paragraphs, Figures(tuple(activity_figures)))))

    sections.append(Section("measures", _("National measures"), (
        note(ngettext("Members and associate members reported %(count)s national measure to implement the plan, taken "
                      "by %(countries)s member states, as published by %(date)s.",
                      "Members and associate members reported %(count)s national measures to implement the plan, taken "
                      "by %(countries)s member states, as published by %(date)s.", report.measures)
             % {"count": formatting.number(report.measures), "countries": formatting.number(report.measure_countries),
                "date": day_text(day)}, records),
        Figures((Figure("measures", _("National measures"), report.measures, "count", day, sources=records),
                 Figure("measures:countries", _("Member states reporting measures"), report.measure_countries, "count",
                        day, sources=records))),
    )))

    if report.conferences:
        conference_paragraphs = [note(_("%(name)s, %(place)s, %(date)s.") % {
            "name": conference.name, "place": conference.place or "—", "date": day_text(conference.start_date)}
            + (" " + pick(conference, "summary") if pick(conference, "summary") else ""), records)
            for conference in report.conferences]
    else:
        conference_paragraphs = [note(_("No ministerial conference on the plan had been held by %(date)s.")
                                      % {"date": day_text(day)}, records)]
    sections.append(Section("conference", _("Ministerial conference on digital inclusion and transformation"),
                            tuple(conference_paragraphs)))

    sections.append(Section("good-practices", _("Good practices"), (
        note(ngettext("The platform's library held %(count)s published good practice shared by members and partners "
                      "on %(date)s.",
                      "The platform's library held %(count)s published good practices shared by members and partners "
                      "on %(date)s.", practices) % {"count": formatting.number(practices), "date": day_text(day)},
             (LIBRARY,)),
        Figures((Figure("good_practices", _("Good practices published"), practices, "count", day, sources=(LIBRARY,)),)),
    )))
    sources = [
        Source(PLAN_RECORDS, _("The platform's action-plan records: the plan's pillars, actions and deliverables, and "
                               "the activities, participations and national measures published, as they stood at the "
                               "end of %(date)s.") % {"date": day_text(day)}),
        Source(LIBRARY, _("The platform's good-practice library, practices published at the end of %(date)s.")
               % {"date": day_text(day)}),
    ]
    summary = [Paragraph(_("The present note reports on the progress made in implementing %(resolution)s: the "
                           "progress of the %(plan)s (%(share)s of its deliverables done), %(activities)s capacity-"
                           "building activities with %(participants)s participants, %(measures)s national measures, "
                           "the ministerial conference and %(practices)s good practices shared, as of %(date)s.") % {
        "resolution": body.text("resolution"), "plan": plan.name,
        "share": formatting.share(progress.share if progress else None),
        "activities": formatting.number(report.activities), "participants": formatting.number(participation.total),
        "measures": formatting.number(report.measures), "practices": formatting.number(practices),
        "date": day_text(day)})]
    return sections, sources, summary


# --- A note on the coalition's pledges (ITU Resolution 88) ------------------------------------


def _of_initiative(breakdown: Breakdown, slug: str | None) -> Breakdown:
    """A framework breakdown's rows of one initiative (its focus areas), the others left out."""
    if not slug:
        return breakdown
    return replace(breakdown, rows=[row for row in breakdown.rows if row.code.startswith(f"{slug}:")])


def _pledges_sections(body: Body, note: Numbered, *, as_of: AsOf, demo: bool) -> tuple[list[Section], list[Source], list[Paragraph]]:
    board: Dashboard = dashboard_for(as_of)
    tallies = tallies_for(as_of)
    key, day = board.key, as_of.date
    cited = (REGISTRY, DEMO) if demo else (REGISTRY,)
    counted = (*cited, COUNTING)
    initiative = board.breakdown("initiative")
    own = next((row for row in initiative.rows if row.code == body.data.get("initiative")), None)
    sections = []

    pledge_paragraphs = [note(ngettext(
        "As of %(date)s, the registry held %(pledges)s published pledge from %(entities)s organisations, with an "
        "estimated value of %(value)s, naming %(countries)s beneficiary countries.",
        "As of %(date)s, the registry held %(pledges)s published pledges from %(entities)s organisations, with an "
        "estimated value of %(value)s, naming %(countries)s beneficiary countries.", key.pledges,
    ) % {"date": day_text(day), "pledges": formatting.number(key.pledges), "entities": formatting.number(key.entities),
         "value": formatting.usd(key.value_usd), "countries": formatting.number(key.countries)}, cited)]
    if own is not None and len(initiative.rows) > 1:
        pledge_paragraphs.append(note(_("Of these, %(pledges)s pledges (%(value)s) were made to the %(initiative)s; the "
                                        "others to the other initiatives the platform hosts.") % {
            "pledges": formatting.number(own.pledges), "value": formatting.usd(own.value_usd), "initiative": own.label},
            counted))
    pledge_paragraphs.append(note(annual.growth_sentence(board), cited))
    sections.append(Section("pledges", _("Pledges"), (
        *pledge_paragraphs, annual.key_figures(board, demo=demo),
        annual.breakdown_table(_of_initiative(board.breakdown("focus-area"), body.data.get("initiative")), demo=demo),
    )))

    stakeholder, region = board.breakdown("stakeholder"), board.breakdown("home-region")
    top = stakeholder.rows[0] if stakeholder.rows else None
    participation = [note(_("Resolution 88 invites international financial institutions, donors and private-sector "
                            "entities, and Member States and Sector Members, to make pledges. By the type of the "
                            "organisation leading each pledge: %(types)s.") % {
        "types": "; ".join(f"{row.label} {formatting.number(row.pledges)}" for row in stakeholder.rows) or "—"},
        counted)]
    if top is not None:
        participation.append(note(_("%(type)s led the most pledges, %(share)s of all.") % {
            "type": top.label, "share": formatting.share(top.share)}, counted))
    sections.append(Section("participation", _("Participation by stakeholder type and region"), (
        *participation,
        annual.breakdown_table(stakeholder, demo=demo), annual.breakdown_table(region, demo=demo),
        annual.breakdown_table(board.breakdown("implementation-region"), demo=demo),
    )))

    if key.groups:
        groups_text = _("Resolution 88 notes the coalition's focus on the hardest-to-connect communities of the least "
                        "developed countries, landlocked developing countries and small island developing States. "
                        "Pledges targeting them: %(groups)s.") % {"groups": "; ".join(
                            _("%(group)s %(pledges)s (%(share)s of pledges, %(value)s)") % {
                                "group": group.plural, "pledges": formatting.number(group.pledges),
                                "share": formatting.share(group.share_pledges), "value": formatting.usd(group.value_usd)}
                            for group in key.groups)}
        sections.append(Section("special-groups", _("Least developed countries, landlocked developing countries and "
                                                    "small island developing States"), (
            note(groups_text, counted), annual.group_figures(key, demo=demo), annual.group_table(key, demo=demo))))

    statuses = reporting_statuses_from(tallies)
    sections.append(Section("delivery", _("Delivery and reporting"), (
        *(note(text, cited) for text in annual.money_paragraphs(key)),
        annual.money_figures(key, demo=demo),
        note(annual.reporting_sentence(statuses), (*cited, REPORTING_RULE)),
        annual.reporting_figures(statuses, day=day, demo=demo),
    )))

    rows = annual.connectivity_as_of(as_of)
    sections.append(Section("connectivity", _("Against the goal of universal connectivity"), (
        note(_("Resolution 88 asks for reports over time against the overall goal of universal connectivity. Where "
               "the world and the groups stand on the 2030 targets, from the values the platform held on %(date)s:")
             % {"date": day_text(day)}),
        *(note(text) for text in annual.connectivity_sentences(rows)),
        annual.connectivity_figures(rows, as_of=as_of),
        annual.connectivity_table(rows, as_of=as_of),
    )))
    sources = [annual.reporting_source(), *annual.connectivity_sources(rows)]
    summary = [Paragraph(_("The present report responds to %(resolution)s. As of %(date)s, %(pledges)s pledges worth "
                           "an estimated %(value)s had been published by %(entities)s organisations; %(reported)s had "
                           "an accepted progress report, with %(disbursed)s reported disbursed. It sets out "
                           "participation by stakeholder type and region, the pledges for the least developed "
                           "countries, landlocked developing countries and small island developing States, reporting "
                           "compliance and connectivity against the 2030 targets.") % {
        "resolution": body.text("resolution"), "date": day_text(day), "pledges": formatting.number(key.pledges),
        "value": formatting.usd(key.value_usd), "entities": formatting.number(key.entities),
        "reported": formatting.number(key.reported), "disbursed": formatting.usd(key.disbursed_usd)})]
    return sections, sources, summary


def governing_body_report(*, as_of: AsOf, params: dict, progress) -> Report:
    """The note by the secretariat to the body `params["body"]` (a slug of the data file) as of
    `as_of`, in the active language. Raises ValidationError on `body` for an unknown slug (or when
    the action plan its note reports on is not loaded). Reads only."""
    body = body_for(params)
    progress(0, 2, _("Reading the figures"))
    demo = annual.demo_counted(as_of)
    session, meeting = _session(body)
    note = Numbered()
    introduction = _introduction(body, note, as_of=as_of, meeting=meeting)
    if body.content == "action-plan":
        sections, sources, summary = _action_plan_sections(body, note, as_of=as_of)
    else:
        sections, sources, summary = _pledges_sections(body, note, as_of=as_of, demo=demo)
    progress(1, 2, _("Writing the note"))
    consideration = _issues(body, note)
    progress(2, 2, _("Done"))
    return Report(
        kind="governing-body", title=body.text("title"), language=annual.report_language(), as_of=as_of.date,
        symbol=_marked(body.data["symbol"], body.flagged("symbol")),
        session=_marked(session, body.flagged("session") and meeting is None),
        agenda_item=_marked(body.text("agenda_item"), body.flagged("agenda_item")),
        summary=tuple(summary), sections=(introduction, *sections, consideration),
        sources=tuple(_sources(body, as_of, demo=demo) + sources), is_demo=demo,
    )

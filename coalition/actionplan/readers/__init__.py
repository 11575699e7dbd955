"""Readers of a plan's structure file, one module per format, both yielding the same `Record`s.

A file describes one plan: its own fields, its pillars, their actions and the actions'
deliverables. The secretariat edits it and loads it again (`coalition actionplan load FILE`):
records are matched on their codes, so a reload updates in place (see `loading`).

YAML (`yaml_plan`), the primary format: the plan's fields at the top, then `pillars:`, each
with its `actions:`, each with its `deliverables:` —

    slug: ap-is-2022-2026            # the plan (required: slug, initiative, name_en,
    initiative: ap-is                #   short_name, start_year, end_year)
    name_en: Asia-Pacific Information Superhighway Action Plan 2022–2026
    short_name: AP-IS 2022–2026
    start_year: 2022
    end_year: 2026
    endorsed_by: Committee on ICT, Science, Technology and Innovation, fourth session
    endorsed_on: 2022-09-01
    document: ESCAP/CICTSTI/2022/6
    document_url: https://...
    previous: ""                     # the slug of the plan this one follows
    pillars:
      - code: P1                     # required: code, name_en
        name_en: Connectivity for all
        working_group_en: Connectivity for All
        framework_node: P1           # a node of the initiative's framework
        weight: 1
        actions:
          - code: "1.1"              # required: code, title_en
            title_en: ...
            illustrative: true       # demo text, never shown as the plan's wording
            lead: ESCAP              # an entity: its id, name or acronym
            partners: [ITU, "APNIC Foundation"]
            countries: [NPL, BTN]    # ISO 3166 alpha-3
            start: 2023-01-01
            end: 2026-12-31
            status: ongoing          # not_started, ongoing, completed, discontinued
            weight: 2
            continues: "2.3"         # the code of an action of the previous plan
            deliverables:
              - code: D1             # required: code, title_en
                title_en: ...
                due: 2024-06-30
                weight: 1
                progress: 40         # 0–100; a delivered one is 100
                status: in_progress  # planned, in_progress, delivered, dropped
                delivered_on: ""     # delivered ones only

Every scalar is read as the text written (`1.10` stays "1.10", `NO` stays "NO"); errors name
the line and the path of the field, e.g. `pillars[0].actions[2].weight`.

CSV (`csv_plan`): one row per record, its kind in the `record` column (plan, pillar, action,
deliverable), one plan row first. Columns, each used by the kinds named:

    record, code          every row; a plan row's code is the plan's slug
    pillar                action rows: the code of their pillar
    action                deliverable rows: the code of their action
    initiative, short_name, start_year, end_year, endorsed_by, endorsed_on, document,
    document_url, previous, source                                  plan rows
    name_en, name_fr      plan and pillar rows
    working_group_en, working_group_fr, framework_node, order       pillar rows
    title_en, title_fr    action and deliverable rows
    description_en, description_fr                                  plan, pillar and action rows
    lead, partners, countries, start, end, continues, illustrative  action rows
    due, progress, delivered_on                                     deliverable rows
    weight                pillar, action and deliverable rows
    status                action and deliverable rows

`partners` are separated by semicolons (names may hold commas), `countries` by semicolons,
commas or spaces. Columns may come in any order and may be left out; a filled cell in a
column its row does not use is refused. Actions keep the order of their rows within their
pillar, deliverables within their action.
"""

from pathlib import Path

from coalition.actionplan.readers.base import (  # noqa: F401
    ACTION,
    DELIVERABLE,
    FILE_FIELDS,
    KINDS,
    PILLAR,
    PLAN,
    Record,
    file_name_of,
)
from coalition.actionplan.readers.csv_plan import CsvPlanReader
from coalition.actionplan.readers.yaml_plan import YamlPlanReader


def reader_for(path: Path) -> YamlPlanReader | CsvPlanReader:
    """The reader of `path`, by its extension (.yaml, .yml, .csv); ValueError for any other."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return YamlPlanReader(path)
    if suffix == ".csv":
        return CsvPlanReader(path)
    raise ValueError(f"{path.name}: a plan is read from a .yaml, .yml or .csv file")

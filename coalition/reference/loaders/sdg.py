"""SDG goals and targets: the classification Coalition ships, and the UN's official texts.

`SdgLoader` reads the project's own table (data/sdg.csv: codes and short titles in English and
French, written for Coalition) and creates or renames goals and targets. `SdgTextLoader` adds
the official texts to goals and targets already loaded, from the UN SDG API's download
(`coalition data fetch`, English) or a data folder's sdg-goals-targets.csv (English and
French); it never creates a code, so a text file cannot invent a target.
"""

import re
from collections.abc import Iterator

from coalition.reference.loaders.base import (
    DATA_DIR,
    Counts,
    DuplicateCheck,
    FileLoader,
    Row,
    RowError,
    parse_int,
    read_csv,
    sync,
)
from coalition.reference.models import SdgGoal, SdgTarget

FILENAME = "sdg.csv"
COLUMNS = ["level", "goal", "code", "short_en", "short_fr"]
TEXTS_FILENAME = "sdg-goals-targets.csv"
TEXT_COLUMNS = ["level", "goal", "code", "title_en"]
GOALS, TARGETS = 17, 169


def _check_code(record: dict, line: int, goals_seen: set[int]) -> tuple[int | None, list[RowError]]:
    """The goal number and the problems with a row's level, goal and code."""
    goal = parse_int(record["goal"], row=line, column="goal", low=1, high=17)
    if isinstance(goal, RowError):
        return None, [goal]
    errors = []
    if record["level"] == "goal":
        if record["code"] != str(goal):
            errors.append(RowError(line, "code", f"Goal code {record['code']!r} does not match goal {goal}"))
    elif record["level"] == "target":
        if not re.fullmatch(rf"{goal}\.(\d{{1,2}}|[a-z])", record["code"]):
            errors.append(RowError(line, "code", f"Target code {record['code']!r} is not {goal}.<number or letter>"))
        if goal not in goals_seen:
            errors.append(RowError(line, "goal", f"Goal {goal} must be listed before its targets"))
    else:
        errors.append(RowError(line, "level", f"{record['level']!r} must be goal or target"))
    return goal, errors


def _records(path, *, columns: list[str], title: str, empty: str,
             check=lambda record, line: []) -> Iterator[tuple[int, dict, int] | RowError]:
    """(line, record, goal) for each valid row of an SDG table, or its RowErrors: the level, goal
    and code, a non-empty `title` column (`empty` says so otherwise), `check(record, line)`'s
    problems when those are fine, and no code twice."""
    codes = DuplicateCheck("SDG code")
    goals_seen: set[int] = set()
    for line, record in read_csv(path, required=columns):
        goal, errors = _check_code(record, line, goals_seen)
        if goal is None:
            yield from errors
            continue
        if not record[title]:
            errors.append(RowError(line, title, empty))
        if not errors:
            errors += check(record, line)
        duplicate = codes.check(record["code"], row=line, column="code")
        errors += [duplicate] if duplicate else []
        if errors:
            yield from errors
            continue
        if record["level"] == "goal":
            goals_seen.add(goal)
        yield line, record, goal


class SdgLoader(FileLoader):
    kind = "sdg"

    default_path = DATA_DIR / FILENAME

    def read(self) -> Iterator[Row | RowError]:
        order: dict[int, int] = {}
        for item in _records(self.path, columns=COLUMNS, title="short_en", empty="The short English title is empty"):
            if isinstance(item, RowError):
                yield item
                continue
            line, record, goal = item
            order[goal] = order.get(goal, 0) + 1
            yield Row(line, {**record, "goal": goal, "order": order[goal]})

    def write(self, rows: list[Row], counts: Counts) -> None:
        goals = sync(
            SdgGoal,
            key=["number"],
            rows=({"number": r.data["goal"], "short_en": r.data["short_en"], "short_fr": r.data["short_fr"]}
                  for r in rows if r.data["level"] == "goal"),
            counts=counts,
        )
        sync(
            SdgTarget,
            key=["code"],
            rows=(
                {"code": r.data["code"], "goal_id": goals[(r.data["goal"],)].pk, "order": r.data["order"],
                 "short_en": r.data["short_en"], "short_fr": r.data["short_fr"]}
                for r in rows if r.data["level"] == "target"
            ),
            counts=counts,
        )


class SdgTextLoader(FileLoader):
    """Official titles for known codes; `title_fr` is optional (the UN SDG API is English only)."""

    kind = "sdg_texts"

    def read(self) -> Iterator[Row | RowError]:
        known = {str(number) for number in SdgGoal.objects.values_list("number", flat=True)}
        known |= set(SdgTarget.objects.values_list("code", flat=True))

        def unknown(record: dict, line: int) -> list[RowError]:
            if record["code"] in known:
                return []
            return [RowError(line, "code", f"Unknown SDG code {record['code']!r}: official texts are added "
                                           "to the goals and targets Coalition ships, not new ones")]

        for item in _records(self.path, columns=TEXT_COLUMNS, title="title_en", empty="English title is empty",
                             check=unknown):
            yield item if isinstance(item, RowError) else Row(item[0], item[1])

    def write(self, rows: list[Row], counts: Counts) -> None:
        for model, level, key in ((SdgGoal, "goal", "number"), (SdgTarget, "target", "code")):
            texts = {r.data["code"]: r.data for r in rows if r.data["level"] == level}
            changed = []
            for item in model.objects.filter(**{f"{key}__in": list(texts)}):
                record = texts[str(getattr(item, key))]
                values = {"title_en": record["title_en"]}
                if record.get("title_fr"):
                    values["title_fr"] = record["title_fr"]
                if all(getattr(item, name) == value for name, value in values.items()):
                    counts.unchanged += 1
                    continue
                for name, value in values.items():
                    setattr(item, name, value)
                changed.append(item)
            model.objects.bulk_update(changed, ["title_en", "title_fr"], batch_size=500)
            counts.updated += len(changed)
            if changed:
                counts.wrote(model)

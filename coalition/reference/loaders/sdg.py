"""SDG goals and targets (EN/FR) from sdg-goals-targets.csv (open-sdg/sdg-translations)."""

import re
from collections.abc import Iterator

from coalition.reference.loaders.base import (
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

FILENAME = "sdg-goals-targets.csv"
COLUMNS = ["level", "goal", "code", "title_en", "title_fr", "short_en", "short_fr"]


class SdgLoader(FileLoader):
    kind = "sdg"

    def read(self) -> Iterator[Row | RowError]:
        codes = DuplicateCheck("SDG code")
        goals_seen: set[int] = set()
        order: dict[int, int] = {}
        for line, record in read_csv(self.path, required=COLUMNS):
            errors = []
            goal = parse_int(record["goal"], row=line, column="goal", low=1, high=17)
            if isinstance(goal, RowError):
                yield goal
                continue
            if record["level"] == "goal":
                if record["code"] != str(goal):
                    errors.append(RowError(line, "code", f"Goal code {record['code']!r} does not match goal {goal}"))
                if not record["short_en"]:
                    errors.append(RowError(line, "short_en", "A goal needs a short English name"))
            elif record["level"] == "target":
                if not re.fullmatch(rf"{goal}\.(\d{{1,2}}|[a-z])", record["code"]):
                    errors.append(RowError(line, "code", f"Target code {record['code']!r} is not {goal}.<number or letter>"))
                if goal not in goals_seen:
                    errors.append(RowError(line, "goal", f"Goal {goal} must be listed before its targets"))
            else:
                errors.append(RowError(line, "level", f"{record['level']!r} must be goal or target"))
            if not record["title_en"]:
                errors.append(RowError(line, "title_en", "English title is empty"))
            duplicate = codes.check(record["code"], row=line, column="code")
            errors += [duplicate] if duplicate else []
            if errors:
                yield from errors
                continue
            if record["level"] == "goal":
                goals_seen.add(goal)
            order[goal] = order.get(goal, 0) + 1
            yield Row(line, {**record, "goal": goal, "order": order[goal]})

    def write(self, rows: list[Row], counts: Counts) -> None:
        goals = sync(
            SdgGoal,
            key=["number"],
            rows=(
                {"number": r.data["goal"], **{c: r.data[c] for c in ("title_en", "title_fr", "short_en", "short_fr")}}
                for r in rows if r.data["level"] == "goal"
            ),
            counts=counts,
        )
        sync(
            SdgTarget,
            key=["code"],
            rows=(
                {
                    "code": r.data["code"],
                    "goal_id": goals[(r.data["goal"],)].pk,
                    "title_en": r.data["title_en"],
                    "title_fr": r.data["title_fr"],
                    "order": r.data["order"],
                }
                for r in rows if r.data["level"] == "target"
            ),
            counts=counts,
        )

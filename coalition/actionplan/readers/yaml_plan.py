"""A plan's structure in YAML (the format is described in `readers`).

The file is composed, not constructed: YAML gives the nesting and the line of every field, and
each value is kept as the text written, so a code `1.10` is not the number 1.1, a country `NO`
is not false and a date stays what the loader parses. Duplicate keys, which YAML would let the
last one win silently, are refused.
"""

from collections.abc import Iterator
from pathlib import Path

import yaml

from coalition.actionplan.readers.base import (
    ACTION,
    DELIVERABLE,
    FILE_FIELDS,
    LIST_FIELDS,
    PILLAR,
    PLAN,
    Record,
    split_list,
)
from coalition.reference.loaders.base import RowError

# The list of children each kind holds, and their kind.
CHILDREN = {PLAN: ("pillars", PILLAR), PILLAR: ("actions", ACTION), ACTION: ("deliverables", DELIVERABLE)}
NULL = "tag:yaml.org,2002:null"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class YamlPlanReader:
    format = "yaml"
    title = "YAML"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.name = self.path.name

    def __iter__(self) -> Iterator[Record | RowError]:
        try:
            with open(self.path, encoding="utf-8-sig") as handle:
                root = yaml.compose(handle, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            yield RowError(mark.line + 1 if mark else None, "", f"Not valid YAML: {exc.problem or exc.context}")
            return
        except yaml.YAMLError as exc:
            yield RowError(None, "", f"Not valid YAML: {exc}")
            return
        if root is None:
            yield RowError(None, "", f"{self.name} is empty: it should describe one plan")
            return
        if not isinstance(root, yaml.MappingNode):
            yield RowError(_line(root), "", "The file should be a mapping of the plan's fields (slug: …, pillars: …)")
            return
        yield from self._records(PLAN, root, path="", parent="", position=1)

    def _records(self, kind: str, node: yaml.MappingNode, *, path: str, parent: str,
                 position: int) -> Iterator[Record | RowError]:
        children_key, child_kind = CHILDREN.get(kind, (None, None))
        record = Record(kind=kind, values={}, line=_line(node), path=path, parent=parent, position=position)
        children, seen = None, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                yield RowError(_line(key_node), path, "A field name should be a single word")
                continue
            key = key_node.value
            if key in seen:
                yield RowError(_line(key_node), record.column(key), f"{key} is given twice (first on line {seen[key]})")
                continue
            seen[key] = record.lines[key] = _line(key_node)
            if key == children_key:
                children = value_node
            elif key not in FILE_FIELDS[kind]:
                known = ", ".join([*FILE_FIELDS[kind], *([children_key] if children_key else [])])
                yield record.error(key, f"Unknown field {key!r} for a {kind} (known: {known})")
            elif key in LIST_FIELDS:
                value = self._list(value_node, key)
                if value is None:
                    yield record.error(key, f"{key} should be a list of single values")
                else:
                    record.values[key] = value
            elif isinstance(value_node, yaml.ScalarNode):
                record.values[key] = "" if value_node.tag == NULL else value_node.value
            else:
                yield record.error(key, f"{key} should be a single value, not a list or a mapping")
        yield record
        if children is None or (isinstance(children, yaml.ScalarNode) and children.tag == NULL):
            return
        column = f"{path}.{children_key}" if path else children_key
        if not isinstance(children, yaml.SequenceNode):
            yield RowError(_line(children), column, f"{children_key} should be a list (each item starting with “- ”)")
            return
        code = record.values.get("code", "") if kind != PLAN else record.values.get("slug", "")
        for index, item in enumerate(children.value):
            where = f"{column}[{index}]"
            if not isinstance(item, yaml.MappingNode):
                yield RowError(_line(item), where, f"Each item of {children_key} should be a mapping of its fields")
                continue
            yield from self._records(child_kind, item, path=where, parent=str(code).strip(), position=index + 1)

    @staticmethod
    def _list(node: yaml.Node, name: str) -> list[str] | None:
        if isinstance(node, yaml.ScalarNode):
            return [] if node.tag == NULL else split_list(node.value, name)
        if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value):
            return [item.value.strip() for item in node.value if item.tag != NULL and item.value.strip()]
        return None

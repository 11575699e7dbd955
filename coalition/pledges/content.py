"""A pledge's content as one value: its fields, read from the database, and serialised for a
revision (the proposed content lives in the revision's `data`, not in the pledge's rows).

Foreign keys and links are stored as primary keys, decimals and dates as strings, so a revision
keeps what was proposed even if the form changes; loading gives back `pledge_data`'s shape.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from coalition.pledges.models import PLEDGE_LINKS, Pledge

SCALAR_FIELDS = (
    "initiative",
    "lead_entity",
    "title",
    "description",
    "pledge_type",
    "scope",
    "value_amount",
    "value_currency",
    "value_year",
    "start_date",
    "end_date",
    "campaign",
)


M2M_FIELDS = PLEDGE_LINKS


TARGET_FIELDS = ("description", "unit", "target_value", "baseline_value", "target_date")


def pledge_snapshot(pledge: Pledge) -> dict[str, Any]:
    """Everything a version records, to tell whether an edit changed anything."""
    snapshot = {name: getattr(pledge, f"{name}_id", getattr(pledge, name, None)) for name in SCALAR_FIELDS}
    snapshot["value_usd"] = pledge.value_usd
    snapshot["value_usd_provisional"] = pledge.value_usd_provisional
    for name in M2M_FIELDS:
        snapshot[name] = sorted(getattr(pledge, name).values_list("pk", flat=True))
    snapshot["targets"] = [
        tuple(getattr(t, f) for f in TARGET_FIELDS) for t in pledge.targets.all()
    ]
    snapshot["partners"] = sorted(pledge.pledge_partners.values_list("entity_id", "role"))
    return snapshot


def pledge_data(pledge: Pledge) -> dict[str, Any]:
    """A pledge's current content in the shape `pledge_update` takes: edit a copy, pass it back."""
    data: dict[str, Any] = {name: getattr(pledge, name) for name in SCALAR_FIELDS}
    for name in M2M_FIELDS:
        data[name] = list(getattr(pledge, name).all())
    data["targets"] = [{f: getattr(t, f) for f in TARGET_FIELDS} for t in pledge.targets.all()]
    data["partners"] = [{"entity": p.entity, "role": p.role} for p in pledge.pledge_partners.select_related("entity")]
    return data


_TARGET_DECIMALS = ("target_value", "baseline_value")


def _dump_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _dump_decimal(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return _dump_value(Decimal(str(value)))


def revision_data_dump(data: dict[str, Any]) -> dict[str, Any]:
    """Pledge content (as `pledge_data` or `pledge_clean` give it) as JSON-ready values."""
    from coalition.pledges.content import M2M_FIELDS, SCALAR_FIELDS, TARGET_FIELDS

    dumped: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = data.get(name)
        if name in ("value_amount",):
            dumped[name] = _dump_decimal(value)
        elif name == "value_currency" and isinstance(value, str):
            dumped[name] = _currency_pk(value)
        else:
            dumped[name] = _dump_value(value)
    for name in M2M_FIELDS:
        dumped[name] = sorted(_dump_value(item) for item in data.get(name) or [])
    dumped["targets"] = [
        {
            field: _dump_decimal(target.get(field)) if field in _TARGET_DECIMALS else _dump_value(target.get(field))
            for field in TARGET_FIELDS
        }
        for target in data.get("targets") or []
    ]
    dumped["partners"] = [
        {"entity": _dump_value(partner.get("entity")), "role": partner.get("role") or ""}
        for partner in data.get("partners") or []
    ]
    return dumped


def _currency_pk(code: str) -> int | None:
    from coalition.reference.models import Currency

    return Currency.objects.filter(code=code.strip().upper()).values_list("pk", flat=True).first()


def revision_data_load(dumped: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `revision_data_dump`: model instances, decimals and dates again."""
    from coalition.entities.models import Entity
    from coalition.pledges.content import M2M_FIELDS, SCALAR_FIELDS, TARGET_FIELDS
    from coalition.pledges.models import Pledge

    data: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = dumped.get(name)
        field = Pledge._meta.get_field(name)
        if field.is_relation:
            value = field.related_model.objects.filter(pk=value).first() if value is not None else None
        elif isinstance(field, models.DecimalField):
            value = Decimal(value) if value is not None else None
        elif isinstance(field, models.DateField):
            value = datetime.date.fromisoformat(value) if value else None
        data[name] = value
    for name in M2M_FIELDS:
        model = Pledge._meta.get_field(name).related_model
        data[name] = list(model.objects.filter(pk__in=dumped.get(name) or []))
    data["targets"] = [
        {
            field: (
                Decimal(target[field]) if field in _TARGET_DECIMALS and target.get(field) is not None
                else datetime.date.fromisoformat(target[field]) if field == "target_date" and target.get(field)
                else target.get(field)
            )
            for field in TARGET_FIELDS
        }
        for target in dumped.get("targets") or []
    ]
    entities = Entity.objects.in_bulk([p["entity"] for p in dumped.get("partners") or []])
    data["partners"] = [
        {"entity": entities.get(partner["entity"]), "role": partner.get("role") or ""}
        for partner in dumped.get("partners") or []
    ]
    return data

"""Validation of pledge content, shared by every interface through the services.

`pledge_clean` is the one place that decides whether a set of pledge fields is acceptable
and derives the USD value from amount, currency and year.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.common.text import TEXT_LIMIT, length_check, line_clean, text_clean
from coalition.pledges.content import M2M_FIELDS, SCALAR_FIELDS, TARGET_FIELDS
from coalition.pledges.models import Pledge
from coalition.reference.models import Currency
from coalition.reference.services import usd_conversion

MIN_VALUE_YEAR = 1990
# The longest texts a pledge keeps (the columns' lengths); free text is bounded by TEXT_LIMIT.
TITLE_LIMIT = 300
UNIT_LIMIT = 80
ROLE_LIMIT = 120
# As many as the pledge form offers.
MAX_TARGETS = 20
MAX_PARTNERS = 20


@dataclass(frozen=True)
class Bound:
    """The largest magnitude a number field takes and the decimals it keeps.

    Each bound fits the column that stores the number (a test holds them together), so a
    number accepted here can always be saved and read back on SQLite and PostgreSQL.
    """

    maximum: Decimal
    places: int


# A quadrillion: more than any pledge in any currency, far less than the columns hold.
MONEY = Bound(maximum=Decimal(10) ** 15, places=2)
QUANTITY = Bound(maximum=Decimal(10) ** 15, places=4)
PERCENT = Bound(maximum=Decimal(100), places=2)
# What the USD columns hold (20 digits, 2 of them decimals).
USD_COLUMN_MAXIMUM = Decimal(10) ** 18


def parse_decimal(value: Any, field: str, errors: dict, *, bound: Bound) -> Decimal | None:
    """The value as a Decimal rounded to the bound's decimals; None when blank.

    Anything that is not a finite number, or whose magnitude passes the bound, puts an error
    naming the limit on `field` and returns None.
    """
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = _("“%(value)s” is not a number.") % {"value": str(value)[:40]}
        return None
    if not number.is_finite():
        errors[field] = _("“%(value)s” is not a number.") % {"value": str(value)[:40]}
        return None
    if abs(number) > bound.maximum:
        errors[field] = _("This number is too large: the most this field takes is %(maximum)s.") % {
            "maximum": number_format(bound.maximum, decimal_pos=0, use_l10n=True, force_grouping=True)}
        return None
    return number.quantize(Decimal(1).scaleb(-bound.places), rounding=ROUND_HALF_UP)


def pledge_validate_target(target: Mapping[str, Any], *, prefix: str = "") -> dict[str, str]:
    """Errors of one quantified target, keyed `<prefix><field>`; empty when it is valid."""
    errors: dict[str, str] = {}
    if not text_clean(target.get("description")):
        errors[f"{prefix}description"] = _("Describe what the target measures.")
    if not text_clean(target.get("unit")):
        errors[f"{prefix}unit"] = _("Give the unit counted (people trained, schools connected…).")
    for name, limit, label in (("description", TITLE_LIMIT, gettext_lazy("description")),
                               ("unit", UNIT_LIMIT, gettext_lazy("unit"))):
        length_check(errors, f"{prefix}{name}", text_clean(target.get(name)), limit=limit, label=label)
    value = parse_decimal(target.get("target_value"), f"{prefix}target_value", errors, bound=QUANTITY)
    if value is None and f"{prefix}target_value" not in errors:
        errors[f"{prefix}target_value"] = _("Give the target value.")
    elif value is not None and value <= 0:
        errors[f"{prefix}target_value"] = _("The target value must be greater than zero.")
    baseline = parse_decimal(target.get("baseline_value"), f"{prefix}baseline_value", errors, bound=QUANTITY)
    if baseline is not None and baseline < 0:
        errors[f"{prefix}baseline_value"] = _("The baseline cannot be negative.")
    return errors


def pledge_clean(*, data: Mapping[str, Any], complete: bool = True) -> dict[str, Any]:
    """Validate a set of pledge fields and return them normalised.

    `data` holds the scalar fields (model instances for foreign keys; the currency may be
    its ISO code), the many-to-many fields as iterables of instances, `targets` as a list
    of dicts and `partners` as a list of {entity, role}. The USD value is derived here and
    only here. A draft may be incomplete (`complete=False`: what is there must be valid);
    a pledge going to review must also have a description, a framework node and the
    beneficiaries its scope calls for. Raises `ValidationError` with one message per field.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {name: data.get(name) for name in SCALAR_FIELDS}
    for name in M2M_FIELDS:
        clean[name] = list(data.get(name) or [])

    clean["title"] = line_clean(clean["title"])
    clean["description"] = text_clean(clean["description"])
    if not clean["title"]:
        errors["title"] = _("Give the pledge a title.")
    length_check(errors, "title", clean["title"], limit=TITLE_LIMIT, label=gettext_lazy("title"))
    length_check(errors, "description", clean["description"], limit=TEXT_LIMIT, label=gettext_lazy("description"))
    if clean["initiative"] is None:
        errors["initiative"] = _("Choose the initiative the pledge is made to.")
    if clean["lead_entity"] is None:
        errors["lead_entity"] = _("Choose the entity making the pledge.")
    if clean["pledge_type"] not in Pledge.Type.values:
        errors["pledge_type"] = _("Choose a type among: %(choices)s.") % {"choices": ", ".join(Pledge.Type.values)}
    clean["scope"] = clean["scope"] or Pledge.Scope.NATIONAL
    if clean["scope"] not in Pledge.Scope.values:
        errors["scope"] = _("Choose a scope among: %(choices)s.") % {"choices": ", ".join(Pledge.Scope.values)}

    if complete:
        _check_complete(clean, errors)

    initiative = clean["initiative"]
    if initiative is not None:
        foreign = [node.code for node in clean["framework_nodes"] if node.initiative_id != initiative.pk]
        if foreign:
            errors["framework_nodes"] = _("%(codes)s belong(s) to another initiative’s framework.") % {"codes": ", ".join(foreign)}
        campaign = clean["campaign"]
        if campaign is not None and campaign.initiative_id != initiative.pk:
            errors["campaign"] = _("This campaign belongs to another initiative.")

    clean_money(clean, errors, PLEDGE_VALUE)

    if clean["start_date"] and clean["end_date"] and clean["end_date"] < clean["start_date"]:
        errors["end_date"] = _("The end date is before the start date.")

    clean["targets"] = []
    targets, partners = list(data.get("targets") or []), list(data.get("partners") or [])
    if len(targets) > MAX_TARGETS:
        errors["targets"] = _("A pledge has at most %(limit)s quantified targets.") % {"limit": MAX_TARGETS}
        targets = []
    if len(partners) > MAX_PARTNERS:
        errors["partners"] = _("A pledge has at most %(limit)s partners.") % {"limit": MAX_PARTNERS}
        partners = []
    for index, target in enumerate(targets):
        errors.update(pledge_validate_target(target, prefix=f"targets[{index}]."))
        clean["targets"].append({name: target.get(name) for name in TARGET_FIELDS})

    clean["partners"] = []
    seen = set()
    for index, partner in enumerate(partners):
        entity = partner.get("entity")
        if entity is None:
            errors[f"partners[{index}].entity"] = _("Choose the partner entity.")
        elif clean["lead_entity"] is not None and entity.pk == clean["lead_entity"].pk:
            errors[f"partners[{index}].entity"] = _("The lead entity cannot also be a partner.")
        elif entity.pk in seen:
            errors[f"partners[{index}].entity"] = _("%(entity)s is listed twice.") % {"entity": entity}
        else:
            seen.add(entity.pk)
            clean["partners"].append({"entity": entity, "role": line_clean(partner.get("role"))})
        length_check(errors, f"partners[{index}].role", line_clean(partner.get("role")), limit=ROLE_LIMIT,
                     label=gettext_lazy("role"))

    if errors:
        raise ValidationError(errors)
    return clean


def _check_complete(clean: dict[str, Any], errors: dict[str, str]) -> None:
    """What a pledge needs before the secretariat can review it."""
    if not clean["description"]:
        errors["description"] = _("Describe what the pledge will do.")
    if not clean["framework_nodes"]:
        errors["framework_nodes"] = _("Choose at least one focus area or pillar.")
    countries, regions = clean["beneficiary_countries"], clean["beneficiary_regions"]
    if clean["scope"] == Pledge.Scope.NATIONAL and len(countries) != 1:
        errors["beneficiary_countries"] = _("A single-country pledge names exactly one beneficiary country.")
    elif clean["scope"] == Pledge.Scope.MULTI_COUNTRY and len(countries) < 2:
        errors["beneficiary_countries"] = _("A multi-country pledge names at least two beneficiary countries.")
    elif clean["scope"] == Pledge.Scope.REGIONAL and not regions:
        errors["beneficiary_regions"] = _("A regional pledge names at least one region or country group.")


@dataclass(frozen=True)
class MoneyFields:
    """Where an amount of money sits among a form's fields, and how its errors are worded.

    With prefix "value" the fields are value_amount, value_currency, value_year, value_usd and
    value_usd_provisional.
    """

    prefix: str
    needs_part: str  # "%(part)s" is amount, currency or year
    below_minimum: str
    allow_zero: bool
    years_ahead: int
    year_range: str  # "%(min)s" and "%(max)s" are the bounds


PLEDGE_VALUE = MoneyFields(
    prefix="value",
    needs_part=gettext_lazy("An estimated value needs its %(part)s too."),
    below_minimum=gettext_lazy("The estimated value must be greater than zero."),
    allow_zero=False,
    years_ahead=10,
    year_range=gettext_lazy("The value year must be between %(min)s and %(max)s."),
)


def clean_money(clean: dict[str, Any], errors: dict[str, str], money: MoneyFields) -> None:
    """Amount, currency and year come together, and convert to USD at that year's rate.

    Normalises the three fields in `clean` (the currency may come as its ISO code), sets the
    USD field and whether its rate is provisional, and puts each problem on its own field in
    `errors`. A known currency without a rate for that year is no problem: the amount is kept
    and its USD value stays empty until the rate is loaded (`services.money`).
    """
    amount_field, currency_field = f"{money.prefix}_amount", f"{money.prefix}_currency"
    year_field, usd_field = f"{money.prefix}_year", f"{money.prefix}_usd"
    clean[f"{usd_field}_provisional"] = False
    currency = clean[currency_field]
    if isinstance(currency, str):
        code = currency.strip().upper()
        currency = Currency.objects.filter(code=code).first() if code else None
        if code and currency is None:
            errors[currency_field] = _("“%(code)s” is not a known ISO 4217 currency code.") % {"code": code}
            return
        clean[currency_field] = currency
    amount = parse_decimal(clean[amount_field], amount_field, errors, bound=MONEY)
    clean[amount_field] = amount
    year = clean[year_field]
    given = [amount is not None, currency is not None, year not in (None, "")]
    clean[usd_field] = None
    if amount_field in errors or not any(given):
        clean[year_field] = None
        return
    if not all(given):
        parts = ((amount_field, _("amount")), (currency_field, _("currency")), (year_field, _("year")))
        for present, (field, part) in zip(given, parts):
            if not present:
                errors[field] = money.needs_part % {"part": part}
        return
    if amount < 0 or (amount == 0 and not money.allow_zero):
        errors[amount_field] = str(money.below_minimum)
        return
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors[year_field] = _("“%(value)s” is not a year.") % {"value": year}
        return
    latest = timezone.localdate().year + money.years_ahead
    if not MIN_VALUE_YEAR <= year <= latest:
        errors[year_field] = money.year_range % {"min": MIN_VALUE_YEAR, "max": latest}
        return
    clean[year_field] = year
    conversion = usd_conversion(amount=amount, currency=currency.code, year=year)
    if conversion.usd is not None and conversion.usd >= USD_COLUMN_MAXIMUM:
        errors[amount_field] = _("This amount is too large once converted to US dollars.")
        return
    clean[usd_field], clean[f"{usd_field}_provisional"] = conversion.usd, conversion.provisional

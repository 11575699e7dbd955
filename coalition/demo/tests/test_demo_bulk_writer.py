"""The bulk writer the demo uses: rows land as the ORM would have stored them."""

import datetime
from decimal import Decimal

import pytest

from coalition.common.bulk import BatchWriter, BulkWriteError, bulk_write, next_pk, reset_sequences
from coalition.entities.models import Entity
from coalition.reference.models import Country, Currency, ExchangeRate

MOMENT = datetime.datetime(2022, 6, 6, 9, 30, 15, 250000, tzinfo=datetime.UTC)


@pytest.fixture
def kenya(db):
    return Country.objects.create(iso3="KEN", iso2="KE", numeric="404", name_en="Kenya")


def entity_row(pk: int, name: str, country: Country) -> tuple:
    return (pk, name, "", "government", country.pk, "none", "", "", True, MOMENT, MOMENT)


ENTITY_FIELDS = [
    "id", "name", "acronym", "entity_type", "home_country_id", "itu_membership", "website", "description",
    "is_demo", "created_at", "updated_at",
]


def test_rows_can_be_found_with_the_orm_lookups(kenya):
    first = next_pk(Entity)
    written = bulk_write(Entity, ENTITY_FIELDS, (entity_row(first + i, f"Body {i}", kenya) for i in range(5)), chunk_size=2)
    assert written == 5
    assert Entity.objects.filter(created_at=MOMENT, is_demo=True).count() == 5
    assert Entity.objects.filter(created_at__lt=MOMENT).count() == 0
    assert Entity.objects.get(pk=first).created_at == MOMENT


def test_decimals_and_dates_keep_their_value(db):
    euro = Currency.objects.create(code="EUR", name_en="Euro")
    bulk_write(ExchangeRate, ["currency_id", "year", "usd_per_unit", "source", "imported_at"],
               [(euro.pk, 2022, Decimal("1.053012345678"), "test", MOMENT)])
    assert ExchangeRate.objects.get(usd_per_unit=Decimal("1.053012345678")).year == 2022


def test_keys_written_by_hand_do_not_collide_with_later_inserts(kenya):
    first = next_pk(Entity)
    bulk_write(Entity, ENTITY_FIELDS, [entity_row(first + 100, "Far ahead", kenya)])
    reset_sequences([Entity])
    created = Entity.objects.create(name="Next", entity_type="government")
    assert created.pk > first + 100


def test_an_unknown_field_is_named(db):
    with pytest.raises(ValueError, match="entities.Entity has no concrete field.*nickname"):
        bulk_write(Entity, ["id", "nickname"], [])


def test_a_batch_writer_writes_batches_in_one_transaction_each(kenya):
    first = next_pk(Entity)
    with BatchWriter() as writer:
        writer.submit([(Entity, ENTITY_FIELDS, [entity_row(first, "One", kenya)])])
        writer.submit([(Entity, ENTITY_FIELDS, [entity_row(first + 1, "Two", kenya)])])
    assert writer.counts == {"entities.Entity": 2}


@pytest.mark.django_db(transaction=True)
def test_a_background_writer_writes_from_another_process_and_reports_errors():
    kenya = Country.objects.create(iso3="KEN", iso2="KE", numeric="404", name_en="Kenya")
    first = next_pk(Entity)
    with BatchWriter(background=True) as writer:
        writer.submit([(Entity, ENTITY_FIELDS, [entity_row(first, "One", kenya)])])
    assert writer.counts == {"entities.Entity": 1}
    assert Entity.objects.get(pk=first).created_at == MOMENT

    with pytest.raises(BulkWriteError, match="IntegrityError|UniqueViolation|UNIQUE"):
        with BatchWriter(background=True) as writer:
            writer.submit([(Entity, ENTITY_FIELDS, [entity_row(first, "Same key", kenya)])])
    assert Entity.objects.count() == 1

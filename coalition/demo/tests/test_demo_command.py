"""`coalition demo generate|reset`: refuses without reference data, idempotent, resets demo data only."""

import datetime
import hashlib
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from coalition.accounts.models import User
from coalition.accounts.roles import REVIEWERS
from coalition.demo.rows import M2M_FIELDS, history_model
from coalition.entities.models import Entity, FocalPoint
from coalition.pledges.models import Pledge, PledgeTarget, PledgeTransition
from coalition.reference.models import Country, FrameworkNode, Initiative, SdgGoal, WsisActionLine
from coalition.reference.testing import load_reference_fixture


@pytest.fixture
def reference(db):
    load_reference_fixture()


def demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> str:
    """A digest of every demo row that matters, in key order."""
    digest = hashlib.sha256()
    for queryset in (
        Entity.objects.filter(is_demo=True).values_list("pk", "name", "entity_type", "home_country_id", "created_at"),
        Pledge.objects.filter(is_demo=True).values_list(
            "pk", "title", "lead_entity_id", "pledge_type", "status", "value_amount", "value_usd", "published_at"
        ),
        history_model(Pledge).objects.filter(is_demo=True).values_list("history_id", "id", "status", "history_date"),
        PledgeTarget.objects.filter(pledge__is_demo=True).values_list("pk", "description", "target_value"),
        PledgeTransition.objects.filter(pledge__is_demo=True).values_list("pk", "action", "at"),
    ):
        for row in queryset.order_by(queryset.model._meta.pk.name):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def real_pledge(**extra) -> Pledge:
    """A pledge made through the services by a real (non-demo) entity."""
    from coalition.pledges.services import pledge_create

    p2c = Initiative.objects.get(slug="p2c")
    entity = Entity.objects.create(name="Real Telecom", entity_type=Entity.Type.PRIVATE_SECTOR)
    data = {
        "initiative": p2c,
        "lead_entity": entity,
        "title": "Connect 500 rural schools",
        "description": "Fibre and satellite links for rural schools.",
        "pledge_type": "programmatic",
        "scope": "national",
        "beneficiary_countries": [Country.objects.get(iso3="KEN")],
        "framework_nodes": [FrameworkNode.objects.get(initiative=p2c, code="FA1.4")],
        "value_amount": Decimal("1000000"),
        "value_currency": "EUR",
        "value_year": 2022,
        "start_date": datetime.date(2023, 1, 1),
        "end_date": datetime.date(2026, 12, 31),
        "targets": [{"description": "Schools connected", "unit": "schools", "target_value": "500"}],
        "partners": [],
        **extra,
    }
    return pledge_create(actor=User.objects.create_superuser("secretariat@example.org", "x"), data=data)


def test_it_refuses_without_reference_data(db):
    with pytest.raises(CommandError, match="run `coalition reference load` first"):
        demo("generate", "--pledges", "10")
    assert not Entity.objects.exists()


def test_it_generates_and_prints_a_summary_and_the_accounts(reference, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-admin-secret")
    output = demo("generate", "--pledges", "60", "--entities", "40")
    assert Pledge.objects.filter(is_demo=True).count() == 60
    assert Entity.objects.filter(is_demo=True).count() == 40
    assert "60 pledges (published" in output and "published value USD" in output
    assert "admin@coalition.localhost  password: demo-admin-secret" in output
    admin = User.objects.get(email="admin@coalition.localhost")
    assert admin.is_superuser and admin.check_password("demo-admin-secret")
    reviewer = User.objects.get(email="reviewer@coalition.localhost")
    assert reviewer.is_staff and reviewer.has_perm("pledges.review_pledge")
    assert reviewer.groups.filter(name=REVIEWERS).exists() and Group.objects.filter(name=REVIEWERS).exists()
    focal = FocalPoint.objects.get(user__email="focal.point@coalition.localhost")
    assert focal.entity.is_demo


def test_it_does_nothing_when_demo_data_exists(reference):
    demo("generate", "--pledges", "30", "--entities", "20")
    before = fingerprint()
    output = demo("generate", "--pledges", "50")
    assert "already exists" in output and "--reset" in output
    assert fingerprint() == before


def test_an_existing_admin_keeps_its_password_unless_the_environment_sets_one(reference, monkeypatch):
    User.objects.create_superuser("admin@coalition.localhost", "kept-password")
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    output = demo("generate", "--pledges", "20", "--entities", "20")
    assert "password unchanged" in output
    assert User.objects.get(email="admin@coalition.localhost").check_password("kept-password")
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "new-password")
    demo("generate", "--pledges", "20", "--entities", "20", "--reset")
    assert User.objects.get(email="admin@coalition.localhost").check_password("new-password")


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(reference):
    demo("generate", "--pledges", "80", "--seed", "3")
    first = fingerprint()
    demo("generate", "--pledges", "80", "--seed", "3", "--reset")
    assert fingerprint() == first
    demo("generate", "--pledges", "80", "--seed", "4", "--reset")
    assert fingerprint() != first


def test_reset_removes_demo_data_and_only_demo_data(reference):
    real = real_pledge()
    real_versions = real.history.count()
    demo("generate", "--pledges", "40", "--entities", "30")
    assert FocalPoint.objects.filter(entity__is_demo=True).exists()

    output = demo("reset")

    assert "Removed demo data" in output
    assert not Pledge.objects.filter(is_demo=True).exists()
    assert not Entity.objects.filter(is_demo=True).exists()
    assert not history_model(Pledge).objects.filter(is_demo=True).exists()
    assert not history_model(Entity).objects.filter(is_demo=True).exists()
    assert not FocalPoint.objects.filter(entity__is_demo=True).exists()
    for name in M2M_FIELDS:
        assert not getattr(history_model(Pledge), name).model.objects.exclude(pledge_id=real.pk).exists()
    assert list(Pledge.objects.all()) == [real]
    assert real.history.count() == real_versions
    assert real.targets.count() == 1 and Entity.objects.filter(pk=real.lead_entity_id).exists()


def test_reset_refuses_when_a_real_pledge_names_a_demo_entity(reference):
    demo("generate", "--pledges", "20", "--entities", "20")
    real_pledge(partners=[{"entity": Entity.objects.filter(is_demo=True).first(), "role": "Co-funder"}])
    with pytest.raises(CommandError, match="Real pledges name demo entities"):
        demo("reset")
    assert Pledge.objects.filter(is_demo=True).count() == 20


def test_the_demo_comes_up_without_sdg_and_wsis_tables_and_says_so(reference):
    SdgGoal.objects.all().delete()
    WsisActionLine.objects.all().delete()

    output = demo("generate", "--pledges", "200")

    assert "no SDG targets loaded" in output
    assert "no WSIS action lines loaded" in output
    assert Pledge.objects.filter(is_demo=True).count() == 200
    assert not Pledge.objects.filter(is_demo=True).exclude(sdg_targets=None).exists()

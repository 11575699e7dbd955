import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coalition.accounts.models import ApiToken
from coalition.accounts.selectors import api_tokens_of
from coalition.accounts.services import api_token_authenticate, api_token_create, api_token_revoke, token_user


def test_a_token_is_shown_once_and_only_its_hash_is_stored(pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")

    assert raw.startswith("coa_") and len(raw) > 40
    assert token.prefix == raw[:10]
    assert raw not in {token.token_hash, token.prefix}
    assert len(token.token_hash) == 64
    assert list(api_tokens_of(user=pledger_a)) == [token]


def test_token_user_finds_the_owner_and_records_the_use(pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")

    assert token_user(raw) == pledger_a
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("raw", ["", None, "coa_unknown", "not-a-token", 42])
def test_token_user_rejects_unknown_and_malformed_tokens(db, raw):
    assert token_user(raw) is None


def test_a_revoked_token_stops_working(pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")

    api_token_revoke(actor=pledger_a, token=token)

    assert token_user(raw) is None
    assert list(api_tokens_of(user=pledger_a)) == []


def test_a_deactivated_users_token_stops_working(pledger_a):
    _, raw = api_token_create(actor=pledger_a, name="Data pipeline")
    pledger_a.is_active = False
    pledger_a.save()

    assert token_user(raw) is None


@pytest.mark.parametrize("wrong", ["pledger_b", "reviewer", "anonymous"])
def test_only_the_owner_revokes_a_token(pledger_a, wrong, request):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=request.getfixturevalue(wrong), token=token)

    assert token_user(raw) == pledger_a


def test_a_token_needs_a_name_unique_among_the_users_tokens(pledger_a, anonymous):
    api_token_create(actor=pledger_a, name="Data pipeline")

    for name in ("", "Data pipeline"):
        with pytest.raises(ValidationError) as error:
            api_token_create(actor=pledger_a, name=name)
        assert "name" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        api_token_create(actor=anonymous, name="x")
    assert ApiToken.objects.count() == 1


def test_last_use_is_written_at_most_once_a_minute(pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")
    recent = timezone.now() - datetime.timedelta(seconds=10)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    token_user(raw)

    token.refresh_from_db()
    assert token.last_used_at == recent


def test_an_administrator_revokes_anyones_token(pledger_a, administrator):
    token, raw = api_token_create(actor=pledger_a, name="Leaked")

    api_token_revoke(actor=administrator, token=token)

    assert token_user(raw) is None


def test_a_token_carries_its_scope_and_stops_at_its_expiry(pledger_a):
    soon = timezone.now() + datetime.timedelta(hours=1)
    token, raw = api_token_create(actor=pledger_a, name="Writer", scope=ApiToken.Scope.WRITE, expires_at=soon)

    assert api_token_authenticate(raw).scope == ApiToken.Scope.WRITE
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_token_authenticate(raw) is None


def test_a_scope_or_expiry_out_of_bounds_is_refused_on_its_field(pledger_a):
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=pledger_a, name="x", scope="admin",
                         expires_at=timezone.now() - datetime.timedelta(days=1))

    assert set(error.value.message_dict) == {"scope", "expires_at"}
    assert not ApiToken.objects.exists()

"""The "My account" page's section of what the person acts for and the requests they made."""

from django.core import mail

from coalition.accounts.models import User
from coalition.accounts.services import notification_preferences_update
from coalition.entities.models import FocalPoint
from coalition.entities.services import access_request_join_entity


def test_my_account_lists_my_entities_countries_and_requests(client, pledger_a, countries, entity_b, administrator):
    from django.utils import timezone

    from coalition.accounts.models import CountryFocalPoint

    CountryFocalPoint.objects.create(
        user=pledger_a, country=countries["VUT"], approved_by=administrator, approved_at=timezone.now()
    )
    access_request_join_entity(actor=pledger_a, entity=entity_b)
    client.force_login(pledger_a)

    response = client.get("/account/")

    assert response.status_code == 200
    assert "Ministry of ICT, Kenya" in response.text
    assert "Vanuatu" in response.text
    assert "Connect Telecom" in response.text and "Pending" in response.text


def test_focal_points_who_turned_access_requests_off_are_not_emailed_about_joins(pledger_a, pledger_b, entity_a):
    colleague = User.objects.create_user(email="colleague.a@example.org", password="x-Pass-123456")
    FocalPoint.objects.create(entity=entity_a, user=colleague, name="Colleague", email=colleague.email)
    notification_preferences_update(actor=pledger_a, user=pledger_a, access_request=False)

    access_request_join_entity(actor=pledger_b, entity=entity_a)

    assert [m.to for m in mail.outbox] == [[colleague.email]]

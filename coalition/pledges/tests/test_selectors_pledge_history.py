import datetime
from decimal import Decimal

from django.utils import timezone

from coalition.pledges.content import pledge_data as current_content
from coalition.pledges.models import Pledge, Status
from coalition.pledges.selectors import pledge_history
from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit, pledge_update


def test_every_accepted_change_appears_with_who_when_and_old_and_new_values(pledger_a, reviewer, pledge_data, countries, entity_b):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    data = current_content(pledge)
    data["title"] = "Connect 800 rural schools"
    data["scope"] = "multi_country"
    data["beneficiary_countries"] = [countries["KEN"], countries["NPL"]]
    data["targets"] = [{"description": "Schools connected", "unit": "schools", "target_value": "800"}]
    data["partners"] = [{"entity": entity_b, "role": "Satellite capacity"}]
    pledge_update(actor=pledger_a, pledge=pledge, data=data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    pledge_publish(actor=reviewer, pledge=pledge)

    history = pledge_history(pledge)

    edit = next(e for e in history if e.subject == "pledge" and e.reason == "edited")
    changes = {c.field: (c.old, c.new) for c in edit.changes}
    assert edit.user == pledger_a
    assert changes["title"] == ("Connect 500 rural schools", "Connect 800 rural schools")
    assert changes["scope"] == ("national", "multi_country")
    assert changes["beneficiary_countries"] == (["Kenya"], ["Kenya", "Nepal"])
    target_change = next(e for e in history if e.subject.startswith("target") and e.kind == "changed")
    assert {c.field: (c.old, c.new) for c in target_change.changes}["target_value"] == (Decimal("500"), Decimal("800"))
    assert any(e.subject == "partner Connect Telecom" and e.kind == "created" and e.user == pledger_a for e in history)
    publish = next(e for e in history if e.reason == "publish")
    assert publish.user == reviewer
    assert {c.field: (c.old, c.new) for c in publish.changes}["status"] == (Status.SUBMITTED, Status.PUBLISHED)
    assert [e.at for e in history] == sorted(e.at for e in history)


def test_the_registry_can_be_read_as_it_stood_on_a_past_date(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    before_publication = timezone.now()
    pledge_publish(actor=reviewer, pledge=pledge)

    then = Pledge.history.as_of(before_publication).get(pk=pledge.pk)
    now = Pledge.history.as_of(timezone.now() + datetime.timedelta(seconds=1)).get(pk=pledge.pk)

    assert then.status == Status.SUBMITTED
    assert now.status == Status.PUBLISHED

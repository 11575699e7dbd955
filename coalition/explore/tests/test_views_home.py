from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit


def test_the_home_page_counts_published_pledges_with_their_as_of_date(client, pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_create(actor=pledger_a, data={**pledge_data, "title": "A draft nobody sees"})
    pledge_publish(actor=reviewer, pledge=pledge_submit(actor=pledger_a, pledge=pledge))

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["key"].pledges == 1
    assert response.context["key"].value_usd == pledge.value_usd
    assert "as of" in response.text


def test_the_home_page_speaks_french(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")

    assert '<html lang="fr"' in response.text
    assert "Le registre en chiffres" in response.text
    assert "Engagements publiés" in response.text

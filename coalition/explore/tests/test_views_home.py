from django.urls import reverse

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
    response = client.get("/fr/")

    assert '<html lang="fr"' in response.text
    assert "Le registre en chiffres" in response.text
    assert "Engagements publiés" in response.text


def test_the_home_page_says_what_to_do(client, db):
    response = client.get("/")

    assert f'href="{reverse("pledges:new")}">Make a pledge</a>' in response.text
    assert f'href="{reverse("explore:explorer")}">Explore pledges</a>' in response.text
    assert f'href="{reverse("accounts:sign_up")}">Create an account</a>' in response.text
    # Making a pledge asks a visitor to sign in first, then goes on to the form.
    pledge = client.get(reverse("pledges:new"))
    assert pledge.status_code == 302
    assert pledge["Location"] == f'{reverse("accounts:login")}?next={reverse("pledges:new")}'


def test_a_signed_in_pledger_goes_straight_to_the_form(client, pledger_a):
    client.force_login(pledger_a)

    response = client.get("/")

    assert f'href="{reverse("pledges:new")}">Make a pledge</a>' in response.text
    assert "Create an account" not in response.text
    assert client.get(reverse("pledges:new")).status_code == 200

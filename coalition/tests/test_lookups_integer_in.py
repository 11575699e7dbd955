from coalition.reference.models import Country


def test_an_out_of_range_number_in_an_in_lookup_matches_nothing(countries):
    kenya = countries["KEN"]

    assert list(Country.objects.filter(pk__in=[10**40])) == []
    assert list(Country.objects.filter(pk__in=[10**40, kenya.pk])) == [kenya]
    assert list(Country.objects.filter(pk__in=[-(10**40)]).values_list("pk", flat=True)) == []

"""A small connectivity picture shaped like the real data, shared by the view and browser tests
of the profile, comparison and gap pages.

Groups (`country_groups` of coalition/conftest.py): ITU-AFR (KEN), ITU-ASP (NPL, BTN, VUT), ITU-EUR (FRA), LDC (KEN, NPL), LLDC (NPL, BTN),
SIDS (VUT), WB-LIC (KEN, NPL, BTN).

population (wb-wdi)     KEN 50 M, NPL 30 M, BTN 0.8 M, VUT 0.3 M, FRA 68 M (2015–2024, flat)
Internet use (ITU)      KEN 2015: 16 → 2024: 35     NPL 2015: 18 → 2023: 56
                        BTN 2015: 40 → 2023: 88     VUT 2017: 25 → 2023: 46     FRA 2015: 78 → 2024: 87

Offline: KEN 32.5 M, NPL 13.2 M, FRA 8.84 M, VUT 0.162 M, BTN 0.096 M.
Pledges (the `published` fixture of coalition/conftest.py): entity A's pledge for Kenya in
focus area FA1 (pillar FA1.1), 1,000,000 EUR of 2022 = 1,053,000 USD.
"""

import pytest

POPULATION = {"KEN": 50_000_000, "NPL": 30_000_000, "BTN": 800_000, "VUT": 300_000, "FRA": 68_000_000}
INTERNET = {
    "KEN": {2015: 16.0, 2018: 22.0, 2021: 29.0, 2024: 35.0},
    "NPL": {2015: 18.0, 2019: 38.0, 2023: 56.0},
    "BTN": {2015: 40.0, 2019: 70.0, 2023: 88.0},
    "VUT": {2017: 25.0, 2023: 46.0},
    "FRA": {2015: 78.0, 2024: 87.0},
}
@pytest.fixture
def connectivity(observe, countries, country_groups):
    for iso3, people in POPULATION.items():
        observe("population", countries[iso3], {year: people for year in range(2015, 2025)}, source="wb-wdi", edition="2025-07")
    for iso3, values in INTERNET.items():
        observe("internet-use", countries[iso3], values, edition="2025-06")
    observe("coverage-4g", countries["KEN"], {2015: 20.0, 2020: 80.0, 2024: 97.0}, edition="2025-06")
    return countries

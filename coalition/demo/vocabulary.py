"""Words the demo builds names, titles and targets from.

Organisations are invented (government bodies are named after their country, which is fine
because every demo row is flagged `is_demo`). Weights follow what connectivity coalitions
publish: infrastructure and skills pledges dominate, SDG 9.c is the most cited target.
"""

GOVERNMENT_BODIES = [
    ("Ministry of ICT of {country}", "MICT"),
    ("National Communications Regulatory Authority of {country}", "NCRA"),
    ("Universal Service and Access Fund of {country}", "USAF"),
    ("Ministry of Digital Economy and Innovation of {country}", "MDEI"),
]

COMPANY_STEMS = [
    "Savanna", "Meridian", "Baobab", "Horizon", "Lagoon", "Summit", "Coral", "Monsoon", "Atlas",
    "Kestrel", "Harmattan", "Orchid", "Sahel", "Tundra", "Cascade", "Equator", "Archipelago",
    "Nimbus", "Zephyr", "Delta", "Highland", "Sunrise", "Polaris", "Cedar", "Indigo", "Andes",
    "Mekong", "Kilima", "Pacifica", "Steppe", "Aurora", "Basalt", "Caravan", "Dune", "Estuary",
]
COMPANY_KINDS = [
    "Telecom", "Mobile", "Fibre Networks", "Satellite", "Towers", "Digital", "Broadband",
    "Cloud", "Connect", "Data Centres", "Wireless", "Submarine Systems",
]
COMPANY_SUFFIXES = ["Ltd", "plc", "SA", "Group", "Holdings", "Inc.", "AG", "K.K."]

CIVIL_SOCIETY = [
    "{stem} Digital Inclusion Foundation", "Community Networks Alliance {stem}",
    "Women in Tech {stem}", "{stem} Youth Code Club", "Open Access Initiative {stem}",
    "{stem} Rural Connectivity Trust",
]
ACADEMIA = [
    "{stem} University of Technology", "Institute for Digital Development, {stem}",
    "{stem} Polytechnic", "Centre for ICT Policy Research, {stem}",
]
UN_IGO = [
    "{stem} Regional Telecommunications Organisation", "Intergovernmental Digital Cooperation Office {stem}",
    "{stem} Programme for Connectivity", "{stem} Regional Economic Community — Digital Unit",
]
IFIS = [
    "{stem} Development Bank", "{stem} Infrastructure Investment Bank", "{stem} Finance Corporation",
    "{stem} Fund for Digital Infrastructure",
]
DONOR_AGENCIES = [
    "{stem} Agency for International Cooperation", "{stem} Development Cooperation Agency",
    "Department for Global Partnerships of {country}", "{stem} Foundation for Development",
]

# Countries that host most private-sector, donor and IFI headquarters, with the currency
# their pledges are usually expressed in.
CURRENCY_BY_HOME = {
    "USA": "USD", "GBR": "GBP", "JPN": "JPY", "CHE": "CHF", "CAN": "CAD", "AUS": "AUD",
    "FRA": "EUR", "DEU": "EUR", "ITA": "EUR", "ESP": "EUR", "NLD": "EUR", "BEL": "EUR",
    "FIN": "EUR", "IRL": "EUR", "PRT": "EUR", "AUT": "EUR", "LUX": "EUR", "EST": "EUR",
    "SWE": "SEK", "NOR": "NOK", "DNK": "DKK", "KOR": "KRW", "CHN": "CNY", "IND": "INR",
    "ZAF": "ZAR", "BRA": "BRL", "SGP": "SGD", "NZL": "NZD",
}
HEADQUARTERS = list(CURRENCY_BY_HOME) + ["ARE", "SAU", "QAT", "KEN", "NGA", "EGY", "MEX", "TUR"]

# (weight, verb phrase) by pledge type.
TITLE_ACTIONS = {
    "programmatic": [
        (5, "Connecting rural schools"), (4, "Digital skills for women and girls"),
        (3, "Community networks"), (3, "Last-mile broadband"), (2, "Connecting health facilities"),
        (2, "Digital literacy for older persons"), (2, "Coding bootcamps for youth"),
        (1, "Accessible ICT for persons with disabilities"), (1, "Smart villages"),
    ],
    "advocacy": [
        (4, "Raising awareness of online safety"), (3, "Championing the digital gender gap agenda"),
        (2, "Mobilising partners for meaningful connectivity"), (2, "Promoting affordable broadband"),
    ],
    "policy": [
        (4, "National broadband plan"), (3, "Spectrum policy reform"), (2, "Infrastructure-sharing rules"),
        (2, "Universal service fund reform"), (2, "Data protection framework"),
    ],
    "financial": [
        (4, "Investment in backbone fibre"), (3, "Blended finance for rural coverage"),
        (2, "Financing 4G and 5G roll-out"), (1, "Guarantee facility for digital infrastructure"),
    ],
    "in_kind": [
        (3, "Donated devices"), (3, "Free satellite capacity"), (2, "Expert secondments"),
        (2, "Training materials and platforms"),
    ],
}

DESCRIPTIONS = [
    "This pledge supports meaningful connectivity for communities that are still offline.",
    "Activities are delivered with local partners and reported on every year.",
    "The programme focuses on affordability, digital skills and relevant local content.",
    "It builds on earlier national pilots and scales them up.",
    "Results are monitored against the targets below and published openly.",
]

# (weight, description template, unit, low, high, applies to types)
TARGETS = [
    (5, "Train {n} people in basic and intermediate digital skills", "people trained", 500, 200_000, "pa"),
    (4, "Train {n} women and girls in digital skills", "women trained", 200, 100_000, "pa"),
    (4, "Connect {n} schools to broadband", "schools connected", 10, 20_000, "pfi"),
    (3, "Deploy {n} km of fibre-optic backbone", "km of fibre", 50, 30_000, "fi"),
    (3, "Extend mobile broadband coverage to {n} people", "people covered", 10_000, 20_000_000, "fp"),
    (2, "Connect {n} health facilities", "health facilities connected", 5, 5_000, "pfi"),
    (2, "Establish {n} community digital centres", "centres", 2, 2_000, "pi"),
    (2, "Distribute {n} affordable devices", "devices", 500, 1_000_000, "i"),
    (2, "Adopt {n} policy or regulatory measures", "measures adopted", 1, 12, "o"),
    (2, "Reach {n} people through awareness campaigns", "people reached", 1_000, 5_000_000, "a"),
    (1, "Mobilise {n} USD for digital infrastructure", "USD", 100_000, 500_000_000, "fa"),
]
TARGET_TYPE_CODES = {"programmatic": "p", "financial": "f", "in_kind": "i", "policy": "o", "advocacy": "a"}

PARTNER_ROLES = ["Implementing partner", "Co-funder", "Technical partner", "Knowledge partner"]

# SDG targets a connectivity pledge usually cites, most frequent first.
SDG_WEIGHTS = {
    "9.c": 40, "4.4": 20, "5.b": 18, "17.8": 18, "9.1": 15, "17.6": 8, "4.a": 8, "10.2": 5,
    "1.4": 5, "8.2": 4, "16.10": 3, "3.d": 2, "8.10": 2, "4.b": 2,
}
WSIS_WEIGHTS = {
    "C2": 35, "C4": 20, "C3": 15, "C6": 12, "C7": 8, "C5": 6, "C11": 5, "C1": 3, "C8": 2,
    "C9": 2, "C10": 1,
}
BENEFICIARY_PROBABILITIES = {
    "women-and-girls": 0.5,
    "youth": 0.35,
    "rural-communities": 0.3,
    "persons-with-disabilities": 0.15,
    "older-persons": 0.07,
    "displaced-people": 0.05,
    "indigenous-peoples": 0.05,
}

CHANGES_REQUESTED_COMMENTS = [
    "Please add a quantified target with a date.",
    "Please list the beneficiary countries explicitly.",
    "Please state the value year of the estimated amount.",
]
REJECTED_COMMENTS = [
    "Duplicate of an existing pledge by the same entity.",
    "Out of the coalition's scope: no connectivity component.",
]

# Progress reports: what was done ("{place}" is the pledge's place), what got in the way, and
# what the secretariat asks when it returns one.
REPORT_NARRATIVES = [
    "Deployment continued as planned; sites were commissioned and handed over to local operators.",
    "Training cohorts were completed with local partners; most participants finished the course.",
    "Procurement closed and the first equipment was installed; community sites are now connected.",
    "The programme reached new districts this year, working with the regulator and local schools.",
    "Funds were disbursed to implementing partners and monitoring visits took place every quarter.",
    "A policy consultation was held and the draft framework was submitted to the ministry.",
    "Awareness campaigns ran on radio and social media, with a focus on women and rural users.",
]
REPORT_CHALLENGES = [
    "",
    "",
    "Import delays held back part of the equipment.",
    "Rising costs of backhaul capacity slowed the rollout in remote areas.",
    "Power supply at rural sites remained unreliable.",
    "Staff turnover at a partner organisation delayed one training cycle.",
]
REPORT_RETURNED_COMMENTS = [
    "Please give the value reached for each target, not only the share delivered.",
    "Please add a link to the evidence mentioned in the narrative.",
    "The amount disbursed seems higher than the pledge's value; please check the currency.",
]

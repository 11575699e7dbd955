"""Codes that publishers put in a country column but that are not countries of the platform.

A row under one of these is skipped with one warning per code (the file is fine, the platform
just does not keep values for World Bank aggregates or entities outside ISO 3166); any other
unknown code is an error, because it is more likely a typo or a file of the wrong kind.
"""

# World Bank aggregates (regions, income and lending groups), as in the WDI country metadata
# (rows with no region), plus INX "Not classified".
WORLD_BANK_AGGREGATES = {
    "AFE": "Africa Eastern and Southern", "AFW": "Africa Western and Central", "ARB": "Arab World",
    "CEB": "Central Europe and the Baltics", "CSS": "Caribbean small states",
    "EAP": "East Asia & Pacific (excluding high income)", "EAR": "Early-demographic dividend",
    "EAS": "East Asia & Pacific", "ECA": "Europe & Central Asia (excluding high income)",
    "ECS": "Europe & Central Asia", "EMU": "Euro area", "EUU": "European Union",
    "FCS": "Fragile and conflict affected situations", "HIC": "High income",
    "HPC": "Heavily indebted poor countries (HIPC)", "IBD": "IBRD only", "IBT": "IDA & IBRD total",
    "IDA": "IDA total", "IDB": "IDA blend", "IDX": "IDA only", "INX": "Not classified",
    "LAC": "Latin America & Caribbean (excluding high income)", "LCN": "Latin America & Caribbean",
    "LDC": "Least developed countries: UN classification", "LIC": "Low income", "LMC": "Lower middle income",
    "LMY": "Low & middle income", "LTE": "Late-demographic dividend", "MEA": "Middle East & North Africa",
    "MIC": "Middle income", "MNA": "Middle East & North Africa (excluding high income)", "NAC": "North America",
    "OED": "OECD members", "OSS": "Other small states", "PRE": "Pre-demographic dividend",
    "PSS": "Pacific island small states", "PST": "Post-demographic dividend", "SAS": "South Asia",
    "SSA": "Sub-Saharan Africa (excluding high income)", "SSF": "Sub-Saharan Africa", "SST": "Small states",
    "TEA": "East Asia & Pacific (IDA & IBRD)", "TEC": "Europe & Central Asia (IDA & IBRD)",
    "TLA": "Latin America & Caribbean (IDA & IBRD)", "TMN": "Middle East & North Africa (IDA & IBRD)",
    "TSA": "South Asia (IDA & IBRD)", "TSS": "Sub-Saharan Africa (IDA & IBRD)", "UMC": "Upper middle income",
    "WLD": "World",
}

# Countries ITU's DataHub codes with its own codes instead of ISO 3166 alpha-3 (entityIso):
# their values are imported under the ISO code.
ITU_CODES = {
    "GBJ": "JEY",  # Jersey
    "AAA": "GGY",  # Guernsey
}

# Economies a publisher codes outside ISO 3166 (or under a retired ISO code).
NON_ISO_ECONOMIES = {
    "XKX": "Kosovo (World Bank code)",
    "KSO": "Kosovo (ITU code)",
    "CHI": "Channel Islands (World Bank)",
    # Part of Saint Helena, Ascension and Tristan da Cunha (SHN): its values describe one
    # island, not the territory, so they are not imported under SHN.
    "ASC": "Ascension (ITU code)",
    "ANT": "Netherlands Antilles (dissolved in 2010)",
}


def not_a_country(code: str) -> str | None:
    """Why `code` is deliberately not imported, or None when it should be a country."""
    if code in WORLD_BANK_AGGREGATES:
        return f"{code} ({WORLD_BANK_AGGREGATES[code]}) is a World Bank aggregate, not a country"
    if code in NON_ISO_ECONOMIES:
        return f"{code} ({NON_ISO_ECONOMIES[code]}) is not in ISO 3166"
    return None

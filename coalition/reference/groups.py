"""How the kinds of country group read and filter, once for every page, filter and file.

`CountryGroup.Kind`'s labels are the administration's (English); the public pages name the kinds
with these, in the reader's language. Some kinds are places on a map (regions, sub-regions), the
others classifications (development status, income, membership): the explorer filters the first
with `?region=` and the second with `?group=`.
"""

from django.utils.translation import gettext_lazy as _

from coalition.reference.models import CountryGroup

Kind = CountryGroup.Kind

REGION_KINDS = (Kind.ITU_REGION, Kind.UN_REGION, Kind.UN_SUBREGION, Kind.ESCAP_SUBREGION)
CLASSIFICATION_KINDS = (Kind.DEVELOPMENT, Kind.INCOME_GROUP, Kind.ESCAP_MEMBERSHIP)

KIND_PLURAL = {
    Kind.DEVELOPMENT: _("Development status"),
    Kind.ITU_REGION: _("ITU-D regions"),
    Kind.UN_REGION: _("UN M49 regions"),
    Kind.UN_SUBREGION: _("UN M49 sub-regions"),
    Kind.ESCAP_MEMBERSHIP: _("ESCAP membership"),
    Kind.ESCAP_SUBREGION: _("ESCAP subregions"),
    Kind.INCOME_GROUP: _("World Bank income groups"),
}

KIND_SINGULAR = {
    Kind.DEVELOPMENT: _("Development status group"),
    Kind.ITU_REGION: _("ITU-D region"),
    Kind.UN_REGION: _("UN M49 region"),
    Kind.UN_SUBREGION: _("UN M49 sub-region"),
    Kind.ESCAP_MEMBERSHIP: _("ESCAP membership"),
    Kind.ESCAP_SUBREGION: _("ESCAP subregion"),
    Kind.INCOME_GROUP: _("World Bank income group"),
}


def group_kind_label(group: CountryGroup) -> str:
    """The kind of one group, singular, in the reader's language."""
    return str(KIND_SINGULAR.get(group.kind, group.get_kind_display()))


# What a group's name is followed by wherever groups of several kinds are offered together, so
# that "Africa" the ITU region and "Africa" the M49 region read apart. Development-status groups
# and ESCAP membership name their classification already.
KIND_QUALIFIER = {
    Kind.ITU_REGION: _("ITU region"),
    Kind.UN_REGION: _("M49"),
    Kind.UN_SUBREGION: _("M49"),
    Kind.ESCAP_SUBREGION: _("ESCAP"),
    Kind.INCOME_GROUP: _("World Bank"),
}


def group_label(group: CountryGroup) -> str:
    """A group's name with its classification, in the reader's language: "Africa — ITU region",
    "Africa — M49", "Low income — World Bank"; LDCs, LLDCs, SIDS and ESCAP membership as named."""
    qualifier = KIND_QUALIFIER.get(group.kind)
    return f"{group.name} — {qualifier}" if qualifier else group.name


def group_filter_param(group: CountryGroup) -> str:
    """The explorer's filter for a group's pledges: `region` for places, `group` otherwise."""
    return "region" if group.kind in REGION_KINDS else "group"

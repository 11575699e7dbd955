"""{% language_alternates as alternates %}: the page in every language, for hreflang links."""

from django import template

from coalition.common import i18n

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[tuple[str, str]]:
    request = context.get("request")
    return i18n.language_alternates(request) if request is not None else []

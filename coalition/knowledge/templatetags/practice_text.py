"""`{{ practice.problem|markdown }}`: a practice's Markdown as sanitised HTML (`rendering`)."""

from django import template

from coalition.knowledge.rendering import markdown_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return markdown_html(text or "")

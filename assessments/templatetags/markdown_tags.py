from django import template

from assessments.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render trusted-or-not Markdown to sanitised HTML."""
    return render_markdown(text)

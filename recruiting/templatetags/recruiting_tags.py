from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ counts|get_item:value }}`: look a key up in a dict from a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None

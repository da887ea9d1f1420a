from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ counts|get_item:value }}`: look a key up in a dict from a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def duration(value):
    """A timedelta as people read it: "42 min", "1 h 05 min", "35 s"."""
    if value is None:
        return "—"
    seconds = max(0, int(value.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"

from django import template
from django.utils.translation import gettext as _

register = template.Library()

SEGMENT = 14  # px per segment, including the gap


@register.inclusion_tag("roles/fragment_meter.html")
def meter(value, maximum, kind="weight"):
    """A small SVG meter: `value` of `maximum` segments filled (no inline styles, CSP-safe)."""
    value = int(value or 0)
    if kind == "weight":
        label = _("Weight %(value)s of %(max)s") % {"value": value, "max": maximum}
    else:
        label = _("Expected proficiency %(value)s of %(max)s") % {"value": value, "max": maximum}
    return {
        "kind": kind,
        "label": label,
        "width": maximum * SEGMENT,
        "segments": [{"x": index * SEGMENT, "on": index < value} for index in range(int(maximum))],
    }

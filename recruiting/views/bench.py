"""The benchmark's baseline: the cheapest response the candidate URLs can give.

Routed under /t/ like the candidate endpoints, so it passes through exactly
the same middleware; it touches no database, so `make bench` can report the
hot path as a ratio of what the framework and server manage on their own.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def ping(request):
    return JsonResponse({"ok": True})

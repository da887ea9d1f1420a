from .tenancy import current_membership


def membership(request):
    """The logged-in member's organisation, for the navigation (one query, cached per request)."""
    if not hasattr(request, "_cached_membership"):
        request._cached_membership = (
            current_membership(request) if hasattr(request, "user") else None
        )
    return {"current_membership": request._cached_membership}

"""URLs for candidates (included in the recruiting namespace by urls_app)."""

urlpatterns = []

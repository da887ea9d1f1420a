"""URLs for team (included in the recruiting namespace by urls_app)."""

urlpatterns = []

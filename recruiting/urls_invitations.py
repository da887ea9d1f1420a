"""URLs for invitations (included in the recruiting namespace by urls_app)."""

urlpatterns = []

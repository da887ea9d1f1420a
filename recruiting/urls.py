from django.contrib import admin
from django.urls import include, path

from .views import public

admin.site.site_header = "Yardstick administration"
admin.site.site_title = "Yardstick admin"
admin.site.index_title = "Role library and question bank"

urlpatterns = [
    path("", public.home, name="home"),
    path("roles/", include("roles.urls")),
    path("accounts/", include("recruiting.urls_accounts")),
    path("app/", include("recruiting.urls_app")),
    path("app/assessments/", include("assessments.urls")),
    path("t/", include("assessments.urls_candidate")),
    path("admin/", admin.site.urls),
]

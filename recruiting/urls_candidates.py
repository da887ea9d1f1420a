"""URLs for candidates (included in the recruiting namespace by urls_app).

The list itself, `candidates/` (recruiting:candidate-list), is routed in urls_app.
"""

from django.urls import path

from .views import candidates

urlpatterns = [
    path("candidates/new/", candidates.candidate_create_view, name="candidate-create"),
    path("candidates/bulk-stage/", candidates.candidate_bulk_stage, name="candidate-bulk-stage"),
    path("candidates/import/", candidates.candidate_import_upload, name="candidate-import"),
    path(
        "candidates/import/confirm/",
        candidates.candidate_import_confirm,
        name="candidate-import-confirm",
    ),
    path(
        "candidates/import/sample.csv",
        candidates.candidate_import_sample,
        name="candidate-import-sample",
    ),
    path("candidates/<uuid:code>/", candidates.candidate_detail, name="candidate-detail"),
    path("candidates/<uuid:code>/edit/", candidates.candidate_update_view, name="candidate-update"),
    path("candidates/<uuid:code>/stage/", candidates.candidate_stage, name="candidate-stage"),
    path("candidates/<uuid:code>/notes/", candidates.candidate_note_add, name="candidate-note-add"),
]

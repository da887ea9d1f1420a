"""The assessment builder under /app/assessments/ (namespace `assessments`)."""

from django.urls import path

from . import grading_views, results_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_new, name="new"),
    path("questions/", views.question_list, name="question-list"),
    path("questions/new/", views.question_new, name="question-new"),
    path("<uuid:code>/", views.assessment_detail, name="detail"),
    path("<uuid:code>/settings/", views.assessment_settings, name="settings"),
    path("<uuid:code>/sections/", views.section_save, name="section-save"),
    path(
        "<uuid:code>/sections/<int:section_id>/remove/",
        views.section_remove,
        name="section-remove",
    ),
    path(
        "<uuid:code>/sections/<int:section_id>/questions/",
        views.section_questions,
        name="section-questions",
    ),
    path("<uuid:code>/sections/<int:section_id>/pin/", views.section_pin, name="section-pin"),
    path("<uuid:code>/preview/", views.assessment_preview, name="preview"),
    path("<uuid:code>/publish/", views.assessment_publish, name="publish"),
    path("<uuid:code>/close/", views.assessment_close, name="close"),
    path("<uuid:code>/duplicate/", views.assessment_duplicate, name="duplicate"),
    path("<uuid:code>/results/", results_views.results_table, name="results"),
    path("<uuid:code>/results.csv", results_views.results_csv, name="results-csv"),
    path("<uuid:code>/compare/", results_views.compare, name="compare"),
    path("<uuid:code>/statistics/", results_views.statistics, name="statistics"),
    path("report/<uuid:invitation_code>/", results_views.report, name="report"),
    path("grading/", grading_views.grading_queue, name="grading-queue"),
    path("grading/<int:response_id>/", grading_views.grade, name="grade"),
]

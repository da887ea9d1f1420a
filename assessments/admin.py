import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import grading
from . import statistics as item_statistics
from .models import (
    Choice,
    NumericKey,
    Question,
    QuestionStat,
    RubricCriterion,
    ShortAnswerKey,
    SqlDataset,
    SqlKey,
)
from .services import (
    QuestionError,
    bank_export,
    bank_import,
    question_new_version,
    question_set_status,
)


def _base_key(formset) -> dict:
    question = formset.instance
    return {"type": question.type, "points": question.points or 1}


def _live_forms(formset):
    """Forms that will be saved: filled in and not marked for deletion."""
    return [
        form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class KeyFormSet(forms.BaseInlineFormSet):
    """Validates the answer key of one question type with the graders' own rules.

    Each question type keeps its key in exactly one inline, so that inline can
    check the whole key; the others must stay empty.
    """

    types: tuple[str, ...] = ()

    def key_for(self, forms_: list) -> dict:
        raise NotImplementedError

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms_ = _live_forms(self)
        if self.instance.type not in self.types:
            if forms_:
                raise ValidationError(
                    _("A %(type)s question does not use this part of the key; remove it.")
                    % {"type": self.instance.get_type_display()}
                )
            return
        errors = grading.validate_key({**_base_key(self), **self.key_for(forms_)})
        if errors:
            raise ValidationError(errors)


class ChoiceFormSet(KeyFormSet):
    types = Question.CHOICE_TYPES

    def key_for(self, forms_):
        return {
            "choices": [
                {
                    "id": str(index),
                    "text": form.cleaned_data.get("text", ""),
                    "correct": form.cleaned_data.get("is_correct", False),
                }
                for index, form in enumerate(forms_)
            ]
        }


class ShortAnswerFormSet(KeyFormSet):
    types = (Question.Type.SHORT_ANSWER,)

    def key_for(self, forms_):
        if not forms_:
            return {"accepted": []}
        data = forms_[0].cleaned_data
        accepted = [line.strip() for line in data.get("accepted", "").splitlines()]
        return {
            "accepted": [line for line in accepted if line],
            "case_sensitive": data.get("case_sensitive", False),
            "regex": data.get("regex", ""),
        }


class NumericFormSet(KeyFormSet):
    types = (Question.Type.NUMERIC,)

    def key_for(self, forms_):
        if not forms_:
            return {}
        data = forms_[0].cleaned_data
        return {"value": data.get("value"), "tolerance": data.get("tolerance")}


class SqlFormSet(KeyFormSet):
    types = (Question.Type.SQL,)

    def key_for(self, forms_):
        if not forms_:
            return {}
        data = forms_[0].cleaned_data
        dataset = data.get("dataset")
        return {
            "setup_sql": dataset.setup_sql if dataset else "",
            "reference_query": data.get("reference_query", ""),
            "order_matters": data.get("order_matters", False),
        }


class RubricFormSet(KeyFormSet):
    types = (Question.Type.FREE_TEXT,)

    def key_for(self, forms_):
        return {
            "rubric": [
                {
                    "criterion": form.cleaned_data.get("criterion"),
                    "points": form.cleaned_data.get("points"),
                }
                for form in forms_
            ]
        }


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ("position", "text", "is_correct", "feedback")
    extra = 0
    formfield_overrides = {
        Choice._meta.get_field("text").__class__: {"widget": forms.Textarea(attrs={"rows": 2})}
    }


class ShortAnswerInline(admin.StackedInline):
    model = ShortAnswerKey
    formset = ShortAnswerFormSet
    max_num = 1
    extra = 0


class NumericInline(admin.StackedInline):
    model = NumericKey
    formset = NumericFormSet
    max_num = 1
    extra = 0


class SqlInline(admin.StackedInline):
    model = SqlKey
    formset = SqlFormSet
    max_num = 1
    extra = 0


class RubricInline(admin.TabularInline):
    model = RubricCriterion
    formset = RubricFormSet
    fields = ("position", "criterion", "points")
    extra = 0


INLINES_BY_TYPE = {
    Question.Type.SINGLE_CHOICE: ChoiceInline,
    Question.Type.MULTIPLE_CHOICE: ChoiceInline,
    Question.Type.TRUE_FALSE: ChoiceInline,
    Question.Type.SHORT_ANSWER: ShortAnswerInline,
    Question.Type.NUMERIC: NumericInline,
    Question.Type.SQL: SqlInline,
    Question.Type.FREE_TEXT: RubricInline,
}
ALL_KEY_INLINES = (ChoiceInline, ShortAnswerInline, NumericInline, SqlInline, RubricInline)


class OwnerFilter(admin.SimpleListFilter):
    title = _("owner")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return (("global", _("Global library")), ("private", _("Organisation-private")))

    def queryset(self, request, queryset):
        if self.value() == "global":
            return queryset.filter(owner__isnull=True)
        if self.value() == "private":
            return queryset.filter(owner__isnull=False)
        return queryset


class VersionFilter(admin.SimpleListFilter):
    title = _("version")
    parameter_name = "versions"

    def lookups(self, request, model_admin):
        return (("latest", _("Newest version only")), ("all", _("All versions")))

    def choices(self, changelist):
        # "Newest only" is the default, so the library reads as one row per question.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "latest") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.latest_versions()


class FacilityFilter(admin.SimpleListFilter):
    title = _("facility")
    parameter_name = "facility"

    def lookups(self, request, model_admin):
        return (("easy", _("Too easy (> 0.9)")), ("hard", _("Too hard (< 0.2)")))

    def queryset(self, request, queryset):
        if self.value() == "easy":
            return queryset.filter(stat__facility__gt=0.9)
        if self.value() == "hard":
            return queryset.filter(stat__facility__lt=0.2)
        return queryset


class DiscriminationFilter(admin.SimpleListFilter):
    title = _("discrimination")
    parameter_name = "discrimination"

    def lookups(self, request, model_admin):
        return (("poor", _("Poor (< 0.2)")),)

    def queryset(self, request, queryset):
        if self.value() == "poor":
            return queryset.filter(stat__discrimination__lt=0.2)
        return queryset


class HasStatisticsFilter(admin.SimpleListFilter):
    title = _("statistics")
    parameter_name = "has_statistics"

    def lookups(self, request, model_admin):
        return (("yes", _("Has statistics")), ("no", _("No statistics yet")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(stat__isnull=False)
        if self.value() == "no":
            return queryset.filter(stat__isnull=True)
        return queryset


def _stat(question):
    """The question's statistics row, or None (select_related caches a missing one)."""
    try:
        return question.stat
    except Question.stat.RelatedObjectDoesNotExist:
        return None


class ImportForm(forms.Form):
    file = forms.FileField(help_text=_("A JSON file in the yardstick-questions/1 format."))

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("The file is not valid JSON (line %(line)d: %(msg)s).")
                % {"line": error.lineno, "msg": error.msg}
            ) from None


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "skill",
        "difficulty",
        "type",
        "status",
        "version",
        "owner_label",
        "locked",
        "stat_facility",
        "stat_discrimination",
        "stat_responses",
    )
    list_filter = (
        VersionFilter,
        "status",
        "type",
        "difficulty",
        "skill__category",
        "skill",
        OwnerFilter,
        FacilityFilter,
        DiscriminationFilter,
        HasStatisticsFilter,
    )
    list_select_related = ("skill", "owner", "stat")
    search_fields = ("slug", "prompt", "explanation")
    list_per_page = 50
    actions = ("submit_for_review", "publish", "retire", "export_selected")
    readonly_fields = ("version", "lock_state", "version_history", "preview_link")
    autocomplete_fields = ("skill",)
    fieldsets = (
        (None, {"fields": ("slug", "skill", "difficulty", "type", "status", "owner")}),
        (_("Content"), {"fields": ("prompt", "explanation", "points", "suggested_seconds")}),
        (_("Versions"), {"fields": ("version", "lock_state", "version_history", "preview_link")}),
    )
    change_list_template = "admin/assessments/question/change_list.html"
    change_form_template = "admin/assessments/question/change_form.html"

    def get_inlines(self, request, obj):
        if obj is None:
            return ALL_KEY_INLINES
        return (INLINES_BY_TYPE[obj.type],)

    def get_readonly_fields(self, request, obj=None):
        # The key's inline depends on the type; a different type is a different question.
        if obj is not None:
            return (*self.readonly_fields, "type")
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # A version an attempt has used is frozen; staff edit a new version instead.
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("owner"), ordering="owner__name")
    def owner_label(self, obj):
        return obj.owner or _("Global")

    @admin.display(description=_("locked"), boolean=True)
    def locked(self, obj):
        return obj.is_locked

    @admin.display(description=_("facility"), ordering="stat__facility")
    def stat_facility(self, obj):
        stat = _stat(obj)
        if stat is None or stat.facility is None:
            return None
        return f"{stat.facility:.0%}"

    @admin.display(description=_("discrimination"), ordering="stat__discrimination")
    def stat_discrimination(self, obj):
        stat = _stat(obj)
        if stat is None or stat.discrimination is None:
            return None
        return f"{stat.discrimination:.2f}"

    @admin.display(description=_("responses"), ordering="stat__responses")
    def stat_responses(self, obj):
        stat = _stat(obj)
        return stat.responses if stat is not None else 0

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["question_statistics"] = self._statistics_panel(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _statistics_panel(self, obj) -> dict:
        """What the read-only statistics panel shows; two queries at most (stat, choices)."""
        stat = QuestionStat.objects.filter(question=obj).first()
        responses = stat.responses if stat is not None else 0
        minimum = item_statistics.MIN_RESPONSES
        panel = {
            "responses": responses,
            "min_responses": minimum,
            "enough": stat is not None and responses >= minimum,
        }
        if not panel["enough"]:
            return panel
        panel.update(
            computed_at=stat.computed_at,
            facility=f"{stat.facility:.0%}" if stat.facility is not None else None,
            discrimination=(
                f"{stat.discrimination:.2f}" if stat.discrimination is not None else None
            ),
        )
        if obj.is_choice_type:
            zero = {"all": 0, "upper": 0, "lower": 0}
            panel["options"] = [
                {
                    "text": Truncator(choice.text).chars(80),
                    "correct": choice.is_correct,
                    **stat.option_counts.get(str(choice.pk), zero),
                }
                for choice in obj.choices.all()
            ]
        return panel

    @admin.display(description=_("state"))
    def lock_state(self, obj):
        if obj.pk is None:
            return "—"
        if not obj.is_locked:
            return _("Not used by any attempt yet: edits change this version in place.")
        return _(
            "Used by attempts since %(when)s: this version is read-only. Use “Edit as a new "
            "version” above to change the question; old results keep this version."
        ) % {"when": obj.locked_at.strftime("%Y-%m-%d")}

    @admin.display(description=_("version history"))
    def version_history(self, obj):
        if obj.pk is None:
            return "—"
        versions = Question.objects.filter(lineage=obj.lineage).order_by("-version")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">v{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:assessments_question_change", args=[v.pk]),
                    v.version,
                    v.get_status_display(),
                    _("locked") if v.is_locked else "",
                    v.updated_at.strftime("%Y-%m-%d %H:%M"),
                )
                for v in versions
            ),
        )
        return format_html("<table><tbody>{}</tbody></table>", rows)

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:assessments_question_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview as a candidate"))

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="assessments_question_preview",
            ),
            path(
                "<int:pk>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="assessments_question_new_version",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="assessments_question_import",
            ),
        ]
        return custom + super().get_urls()

    def preview_view(self, request, pk):
        question = get_object_or_404(Question.objects.with_keys(), pk=pk)
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "question": question,
            "key": question.grading_key(),
            "title": _("Preview: %(q)s") % {"q": question},
        }
        return render(request, "admin/assessments/question/preview.html", context)

    def new_version_view(self, request, pk):
        if request.method != "POST":
            return HttpResponse(status=405)
        question = get_object_or_404(Question, pk=pk)
        if not super().has_change_permission(request, question):
            raise PermissionDenied
        try:
            new = question_new_version(question=question, author=request.user)
        except QuestionError as error:
            self.message_user(request, " ".join(error.errors), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:assessments_question_change", args=[question.pk])
            )
        self.message_user(
            request,
            _(
                "Created version %(v)d as a draft. Publish it when ready; until then version "
                "%(old)d stays in use."
            )
            % {"v": new.version, "old": question.version},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:assessments_question_change", args=[new.pk]))

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        errors = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = bank_import(data=form.cleaned_data["file"], author=request.user)
            except QuestionError as error:
                errors = error.errors
            else:
                self.message_user(
                    request,
                    _("Imported: %(c)d created, %(u)d updated, %(n)d unchanged.")
                    % {"c": report.created, "u": report.updated, "n": report.unchanged},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:assessments_question_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "errors": errors,
            "title": _("Import questions"),
        }
        return render(request, "admin/assessments/question/import.html", context)

    def _status_action(self, request, queryset, status, verb):
        result = question_set_status(questions=list(queryset), status=status)
        if result.changed:
            self.message_user(
                request,
                _("%(n)d question(s) %(verb)s.") % {"n": len(result.changed), "verb": verb},
                messages.SUCCESS,
            )
        for _question, reason in result.refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description=_("Submit selected questions for review"))
    def submit_for_review(self, request, queryset):
        self._status_action(request, queryset, Question.Status.IN_REVIEW, _("submitted for review"))

    @admin.action(description=_("Publish selected questions"))
    def publish(self, request, queryset):
        self._status_action(request, queryset, Question.Status.PUBLISHED, _("published"))

    @admin.action(description=_("Retire selected questions"))
    def retire(self, request, queryset):
        self._status_action(request, queryset, Question.Status.RETIRED, _("retired"))

    @admin.action(description=_("Export selected questions as JSON"))
    def export_selected(self, request, queryset):
        document = bank_export(Question.objects.filter(pk__in=queryset.values("pk")))
        response = HttpResponse(
            json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="yardstick-questions.json"'
        return response


@admin.register(SqlDataset)
class SqlDatasetAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "owner", "question_count")
    search_fields = ("name", "description")
    list_select_related = ("owner",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_questions=Count("keys"))

    @admin.display(description=_("questions"), ordering="num_questions")
    def question_count(self, obj):
        return obj.num_questions

    def has_change_permission(self, request, obj=None):
        # Locked questions grade against this data; changing it would rewrite old results.
        if obj is not None and obj.keys.filter(question__locked_at__isnull=False).exists():
            return False
        return super().has_change_permission(request, obj)

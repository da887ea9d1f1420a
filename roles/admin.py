from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Role, RoleProfile, RoleSkill, SalaryFact, SeniorityLevel, Skill, SkillCategory


class RoleProfileInline(admin.TabularInline):
    model = RoleProfile
    fields = ("level", "summary")
    extra = 0
    show_change_link = True


class RoleSalaryFactInline(admin.TabularInline):
    model = SalaryFact
    fk_name = "role"
    fields = ("region", "currency", "amount_min", "amount_max", "period", "source_name", "year")
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "summary", "profile_count", "position")
    list_editable = ("position",)
    search_fields = ("name", "summary", "focus")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (RoleProfileInline, RoleSalaryFactInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_profiles=Count("profiles"))

    @admin.display(description=_("profiles"), ordering="num_profiles")
    def profile_count(self, obj):
        return obj.num_profiles


@admin.register(SeniorityLevel)
class SeniorityLevelAdmin(admin.ModelAdmin):
    list_display = ("name", "rank", "years_min", "years_max", "summary")
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}


class RoleSkillInline(admin.TabularInline):
    model = RoleSkill
    fields = ("skill", "weight", "expected_proficiency", "note")
    autocomplete_fields = ("skill",)
    extra = 1


class ProfileSalaryFactInline(admin.TabularInline):
    model = SalaryFact
    fk_name = "profile"
    fields = ("region", "currency", "amount_min", "amount_max", "period", "source_name", "year")
    extra = 0


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "role", "level", "skill_count")
    list_filter = ("role", "level")
    list_select_related = ("role", "level")
    search_fields = ("role__name", "level__name", "summary")
    inlines = (RoleSkillInline, ProfileSalaryFactInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_skills=Count("role_skills"))

    @admin.display(description=_("skills"), ordering="num_skills")
    def skill_count(self, obj):
        return obj.num_skills


class SkillInline(admin.TabularInline):
    model = Skill
    fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "skill_count", "description")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (SkillInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_skills=Count("skills"))

    @admin.display(description=_("skills"), ordering="num_skills")
    def skill_count(self, obj):
        return obj.num_skills


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "profile_count")
    list_filter = ("category",)
    list_select_related = ("category",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_profiles=Count("role_skills"))

    @admin.display(description=_("weighted by profiles"), ordering="num_profiles")
    def profile_count(self, obj):
        return obj.num_profiles


@admin.register(RoleSkill)
class RoleSkillAdmin(admin.ModelAdmin):
    list_display = ("profile", "skill", "weight", "expected_proficiency")
    list_filter = ("profile__role", "profile__level", "skill__category", "weight")
    list_select_related = ("profile__role", "profile__level", "skill")
    search_fields = ("skill__name", "profile__role__name")
    autocomplete_fields = ("skill",)


@admin.register(SalaryFact)
class SalaryFactAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "region",
        "currency",
        "amount_min",
        "amount_max",
        "period",
        "source_name",
        "year",
    )
    list_filter = ("region", "currency", "year", "role")
    list_select_related = ("role", "profile__role", "profile__level")
    search_fields = ("region", "source_name", "note")

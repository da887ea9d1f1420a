"""Candidate pages: list, add, detail (stage, notes, edit) and bulk stage changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from recruiting.models import Candidate, Invitation, Note, Stage, StageChange
from recruiting.services import candidates as candidate_services
from recruiting.services.candidates import (
    DUPLICATE_EMAIL,
    NOTE_EMPTY,
    CandidateError,
    candidate_create,
    candidate_set_stage,
    note_add,
    tags_normalize,
)
from tests.factories import AssessmentFactory, CandidateFactory, InvitationFactory

LIST = reverse("recruiting:candidate-list")
CREATE = reverse("recruiting:candidate-create")
BULK = reverse("recruiting:candidate-bulk-stage")


@pytest.fixture
def ada(org_a, alice):
    return CandidateFactory(
        organization=org_a,
        name="Ada Lovelace",
        email="ada@example.com",
        tags=["python", "remote"],
        created_by=alice,
    )


@pytest.fixture
def grace(org_a):
    return CandidateFactory(organization=org_a, name="Grace Hopper", email="grace@example.com")


@pytest.fixture
def dora(org_b):
    return CandidateFactory(organization=org_b, name="Dora Bravo", email="dora@example.com")


def _url(name, candidate):
    return reverse(f"recruiting:{name}", args=[candidate.code])


# Persona ladder on every candidate-scoped view and verb. `write` views refuse
# reviewers; notes and the detail page are open to every member.
CANDIDATE_VIEWS = [
    ("candidate-detail", "get", False, 200),
    ("candidate-update", "get", True, 200),
    ("candidate-update", "post", True, 302),
    ("candidate-stage", "get", True, 302),
    ("candidate-stage", "post", True, 302),
    ("candidate-note-add", "get", False, 302),
    ("candidate-note-add", "post", False, 302),
]
POST_DATA = {
    "candidate-update": {"name": "Ada King", "email": "ada@example.com", "tags": "python"},
    "candidate-stage": {"stage": "shortlisted"},
    "candidate-note-add": {"body": "Strong on SQL."},
}


@pytest.mark.parametrize(("name", "verb", "write", "ok_status"), CANDIDATE_VIEWS)
class TestCandidateViewLadder:
    def test_anonymous_is_sent_to_login(self, as_user, ada, name, verb, write, ok_status):
        url = _url(name, ada)
        response = getattr(as_user(None), verb)(url, POST_DATA.get(name, {}))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_another_organisation_gets_404_and_nothing_changes(
        self, as_user, ada, charlie, name, verb, write, ok_status
    ):
        response = getattr(as_user(charlie), verb)(_url(name, ada), POST_DATA.get(name, {}))
        assert response.status_code == 404
        ada.refresh_from_db()
        assert (ada.name, ada.stage) == ("Ada Lovelace", Stage.NEW)
        assert not Note.objects.exists()

    def test_reviewer(self, as_user, ada, bob, name, verb, write, ok_status):
        response = getattr(as_user(bob), verb)(_url(name, ada), POST_DATA.get(name, {}))
        assert response.status_code == (403 if write else ok_status)
        ada.refresh_from_db()
        assert (ada.name, ada.stage) == ("Ada Lovelace", Stage.NEW)

    @pytest.mark.parametrize("persona", ["alice", "rita"])
    def test_writers_succeed(self, request, as_user, ada, persona, name, verb, write, ok_status):
        user = request.getfixturevalue(persona)
        response = getattr(as_user(user), verb)(_url(name, ada), POST_DATA.get(name, {}))
        assert response.status_code == ok_status


ORG_VIEWS = [
    (LIST, "get", False, 200),
    (CREATE, "get", True, 200),
    (CREATE, "post", True, 302),
    (BULK, "post", True, 302),
]


@pytest.mark.parametrize(("url", "verb", "write", "ok_status"), ORG_VIEWS)
class TestOrganisationViewLadder:
    def data(self, url, ada):
        if url == CREATE:
            return {"name": "New Person", "email": "new@example.com"}
        if url == BULK:
            return {"candidates": [str(ada.code)], "stage": "rejected"}
        return {}

    def test_anonymous_is_sent_to_login(self, as_user, ada, url, verb, write, ok_status):
        response = getattr(as_user(None), verb)(url, self.data(url, ada))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_reviewer(self, as_user, ada, bob, url, verb, write, ok_status):
        response = getattr(as_user(bob), verb)(url, self.data(url, ada))
        assert response.status_code == (403 if write else ok_status)
        assert Candidate.objects.count() == 1
        assert not StageChange.objects.exists()

    @pytest.mark.parametrize("persona", ["alice", "rita"])
    def test_writers_succeed(self, request, as_user, ada, persona, url, verb, write, ok_status):
        user = request.getfixturevalue(persona)
        response = getattr(as_user(user), verb)(url, self.data(url, ada))
        assert response.status_code == ok_status


# The list


def test_the_list_shows_only_the_members_organisation(as_user, alice, charlie, ada, dora):
    response = as_user(alice).get(LIST)
    assertContains(response, "Ada Lovelace")
    assertNotContains(response, "Dora Bravo")
    response = as_user(charlie).get(LIST)
    assertContains(response, "Dora Bravo")
    assertNotContains(response, "Ada Lovelace")


def test_the_list_shows_each_column(as_user, alice, ada):
    invitation = InvitationFactory(
        candidate=ada, assessment__organization=ada.organization, assessment__title="Backend API"
    )
    response = as_user(alice).get(LIST)
    for text in ("Ada Lovelace", "ada@example.com", "python", "remote", "New", "Backend API"):
        assertContains(response, text)
    assertContains(response, invitation.get_status_display())
    assertContains(response, ada.created_at.strftime("%Y"))
    assertContains(response, ada.get_absolute_url())


def test_the_list_shows_the_latest_invitation_with_its_effective_status(as_user, alice, ada):
    older = InvitationFactory(
        candidate=ada, assessment__organization=ada.organization, assessment__title="Old test"
    )
    Invitation.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=9))
    InvitationFactory(
        candidate=ada,
        assessment__organization=ada.organization,
        assessment__title="Newer test",
        status="sent",
        expires_at=timezone.now() - timedelta(hours=1),
    )
    response = as_user(alice).get(LIST)
    row = response.context["page"].object_list[0]
    assert [i.assessment.title for i in row.latest_invitations] == ["Newer test"]
    assertContains(response, '<span class="d-block small text-body-secondary">Newer test</span>')
    assertNotContains(response, '<span class="d-block small text-body-secondary">Old test</span>')
    assertContains(response, "Expired")


def test_search_by_name_or_email(as_user, alice, ada, grace):
    response = as_user(alice).get(LIST, {"q": "lovelace"})
    assertContains(response, "Ada Lovelace")
    assertNotContains(response, "Grace Hopper")
    response = as_user(alice).get(LIST, {"q": "GRACE@"})
    assertContains(response, "Grace Hopper")
    assertNotContains(response, "Ada Lovelace")


def test_filter_by_stage(as_user, alice, ada, grace):
    candidate_set_stage(candidate=grace, stage=Stage.SHORTLISTED, by=alice)
    response = as_user(alice).get(LIST, {"stage": "shortlisted"})
    assertContains(response, "Grace Hopper")
    assertNotContains(response, "Ada Lovelace")


def test_filter_by_tag_matches_whole_tags_only(as_user, alice, ada, grace):
    grace.tags = ["python3", "cobol"]
    grace.save()
    response = as_user(alice).get(LIST, {"tag": " Python "})
    assertContains(response, "Ada Lovelace")
    assertNotContains(response, "Grace Hopper")
    response = as_user(alice).get(LIST, {"tag": "cobol"})
    assertContains(response, "Grace Hopper")
    assertNotContains(response, "Ada Lovelace")


def test_filter_by_assessment_lists_each_invited_candidate_once(as_user, alice, org_a, ada, grace):
    assessment = AssessmentFactory(organization=org_a, title="Senior backend")
    InvitationFactory(candidate=ada, assessment=assessment, status="revoked")
    InvitationFactory(candidate=ada, assessment=assessment)
    response = as_user(alice).get(LIST, {"assessment": str(assessment.code)})
    assert [c.pk for c in response.context["page"].object_list] == [ada.pk]
    assertNotContains(response, "Grace Hopper")


def test_the_assessment_filter_offers_and_accepts_only_the_organisations_assessments(
    as_user, alice, org_a, org_b, ada
):
    ours = AssessmentFactory(organization=org_a, title="Ours")
    theirs = AssessmentFactory(organization=org_b, title="Theirs")
    response = as_user(alice).get(LIST)
    assertContains(response, "Ours")
    assertNotContains(response, "Theirs")
    response = as_user(alice).get(LIST, {"assessment": str(theirs.code)})
    assertContains(response, "This filter was ignored.")
    assert ours.code  # the list still renders, unfiltered
    assertContains(response, "Ada Lovelace")


def test_pagination_keeps_the_filters(as_user, alice, org_a):
    CandidateFactory.create_batch(30, organization=org_a, tags=["backend"])
    response = as_user(alice).get(LIST, {"tag": "backend"})
    page = response.context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (25, 2)
    assertContains(response, "?tag=backend&amp;page=2")
    response = as_user(alice).get(LIST, {"tag": "backend", "page": 2})
    assert len(response.context["page"].object_list) == 5


def test_the_empty_list_teaches_how_to_add_candidates(as_user, alice):
    response = as_user(alice).get(LIST)
    assertContains(response, "Your pipeline starts here")
    assertContains(response, CREATE)
    assertContains(response, reverse("recruiting:candidate-import"))
    assertContains(response, reverse("recruiting:candidate-import-sample"))


def test_a_filter_with_no_match_says_so(as_user, alice, ada):
    response = as_user(alice).get(LIST, {"q": "nobody"})
    assertContains(response, "No candidates match these filters")
    assertNotContains(response, "Your pipeline starts here")


def test_reviewers_see_the_list_without_write_controls(as_user, bob, ada):
    response = as_user(bob).get(LIST)
    assertContains(response, "Ada Lovelace")
    assertNotContains(response, BULK)
    assertNotContains(response, CREATE)
    assertNotContains(response, 'name="candidates"')


@pytest.mark.parametrize("params", [{}, {"stage": "new", "tag": "python", "q": "cand"}])
def test_the_list_issues_a_fixed_number_of_queries(
    as_user, alice, org_a, django_assert_max_num_queries, params
):
    assessment = AssessmentFactory(organization=org_a)
    candidates = Candidate.objects.bulk_create(
        Candidate(
            organization=org_a,
            name=f"Candidate {n}",
            email=f"cand{n}@example.com",
            tags=["python"],
        )
        for n in range(500)
    )
    Invitation.objects.bulk_create(
        Invitation(
            candidate=candidate,
            assessment=assessment,
            expires_at=timezone.now() + timedelta(days=3),
        )
        for candidate in candidates
    )
    client = as_user(alice)
    params = {**params, "assessment": str(assessment.code)} if params else params
    # 1 session, 2 user, 3 membership (member_required), 4 membership again (the
    # navigation's context processor), 5 the organisation's assessments for the filter,
    # 6 count for the paginator, 7 the page of 25 candidates, 8 each one's newest
    # invitation with its assessment (one sliced prefetch).
    with django_assert_max_num_queries(8):
        response = client.get(LIST, params)
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 500


# Adding a candidate


def test_tags_are_trimmed_lower_cased_and_unique():
    assert tags_normalize(["Python", " remote ", "python", "", "Senior  Dev"]) == [
        "python",
        "remote",
        "senior dev",
    ]


def test_alice_adds_a_candidate(as_user, alice, org_a):
    response = as_user(alice).post(
        CREATE,
        {"name": " Ada Lovelace ", "email": "ada@example.com", "tags": "Python, remote,,python"},
    )
    candidate = Candidate.objects.get()
    assertRedirects(response, candidate.get_absolute_url())
    assert (candidate.organization, candidate.name, candidate.email) == (
        org_a,
        "Ada Lovelace",
        "ada@example.com",
    )
    assert candidate.tags == ["python", "remote"]
    assert (candidate.stage, candidate.created_by) == (Stage.NEW, alice)


def test_a_duplicate_email_is_a_form_error_and_nothing_is_created(as_user, alice, ada):
    response = as_user(alice).post(CREATE, {"name": "Ada Again", "email": "ADA@Example.com"})
    assert response.status_code == 200
    assertContains(response, str(DUPLICATE_EMAIL))
    assert Candidate.objects.count() == 1


def test_the_same_email_in_another_organisation_is_fine(as_user, charlie, ada):
    response = as_user(charlie).post(CREATE, {"name": "Ada", "email": "ada@example.com"})
    assert response.status_code == 302
    assert Candidate.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "email": "x@example.com"}, "This field is required."),
        ({"name": "X", "email": "not-an-email"}, "Enter a valid email address."),
        ({"name": "X", "email": "x@example.com", "tags": "a" * 41}, "longer than 40 characters"),
        (
            {"name": "X", "email": "x@example.com", "tags": ",".join(f"t{n}" for n in range(21))},
            "at most 20 tags",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message(as_user, alice, data, message):
    response = as_user(alice).post(CREATE, data)
    assert response.status_code == 200
    assertContains(response, message)
    assert not Candidate.objects.exists()


def test_the_unique_constraint_backs_the_duplicate_check(org_a, ada, alice, monkeypatch):
    # As if another writer inserted between our check and our insert.
    monkeypatch.setattr(candidate_services, "_email_taken", lambda *args, **kwargs: False)
    with pytest.raises(CandidateError) as error:
        candidate_create(organization=org_a, name="Ada", email="Ada@Example.com", tags=[], by=alice)
    assert error.value.message == str(DUPLICATE_EMAIL)
    assert Candidate.objects.count() == 1


# The detail page


def test_the_detail_page_shows_profile_invitations_notes_and_history(as_user, alice, rita, ada):
    InvitationFactory(
        candidate=ada,
        assessment__organization=ada.organization,
        assessment__title="Senior backend",
        status="sent",
        expires_at=timezone.now() - timedelta(days=1),
    )
    candidate_set_stage(candidate=ada, stage=Stage.SHORTLISTED, by=rita)
    note_add(candidate=ada, author=alice, body="Great SQL answers.")
    response = as_user(alice).get(ada.get_absolute_url())
    for text in (
        "Ada Lovelace",
        "ada@example.com",
        "python",
        "Senior backend",
        "Expired",
        "Great SQL answers.",
        "<strong>Rita</strong> moved from New to Shortlisted",
        "Added by <strong>Alice</strong>",
    ):
        assertContains(response, text)
    assertContains(response, _url("candidate-stage", ada))
    assertContains(response, _url("candidate-update", ada))


def test_reviewers_see_the_detail_page_with_notes_but_no_write_forms(as_user, bob, ada):
    response = as_user(bob).get(ada.get_absolute_url())
    assertContains(response, _url("candidate-note-add", ada))
    assertNotContains(response, _url("candidate-stage", ada))
    assertNotContains(response, _url("candidate-update", ada))


def test_a_stage_change_is_audited(as_user, rita, ada):
    response = as_user(rita).post(_url("candidate-stage", ada), {"stage": "assessed"})
    assertRedirects(response, ada.get_absolute_url(), fetch_redirect_response=False)
    ada.refresh_from_db()
    assert ada.stage == Stage.ASSESSED
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("new", "assessed", rita)


def test_moving_to_the_current_stage_changes_nothing(as_user, rita, ada):
    as_user(rita).post(_url("candidate-stage", ada), {"stage": "new"})
    assert not StageChange.objects.exists()


def test_an_unknown_stage_is_refused(as_user, alice, ada):
    response = as_user(alice).post(_url("candidate-stage", ada), {"stage": "promoted"})
    assert response.status_code == 400
    assertContains(response, "Choose one of the stages", status_code=400)
    ada.refresh_from_db()
    assert ada.stage == Stage.NEW
    assert not StageChange.objects.exists()


def test_a_reviewer_adds_a_note(as_user, bob, ada):
    response = as_user(bob).post(
        _url("candidate-note-add", ada), {"body": "  Calm under pressure. "}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.candidate, note.author, note.body) == (ada, bob, "Calm under pressure.")


def test_an_empty_note_is_refused(as_user, alice, ada):
    response = as_user(alice).post(_url("candidate-note-add", ada), {"body": "   "})
    assertContains(response, str(NOTE_EMPTY), status_code=400)
    assert not Note.objects.exists()


def test_the_note_service_refuses_an_empty_note(ada, alice):
    with pytest.raises(CandidateError):
        note_add(candidate=ada, author=alice, body=" \n ")
    assert not Note.objects.exists()


def test_alice_edits_a_candidate(as_user, alice, ada):
    response = as_user(alice).get(_url("candidate-update", ada))
    assertContains(response, 'value="python, remote"')
    response = as_user(alice).post(
        _url("candidate-update", ada),
        {"name": "Ada King", "email": "ADA@example.com", "tags": "Maths, python"},
    )
    assertRedirects(response, ada.get_absolute_url(), fetch_redirect_response=False)
    ada.refresh_from_db()
    assert (ada.name, ada.email, ada.tags) == ("Ada King", "ADA@example.com", ["maths", "python"])


def test_editing_to_another_candidates_email_is_refused(as_user, alice, ada, grace):
    response = as_user(alice).post(
        _url("candidate-update", ada), {"name": "Ada", "email": "Grace@example.com"}
    )
    assertContains(response, str(DUPLICATE_EMAIL))
    ada.refresh_from_db()
    assert ada.email == "ada@example.com"


# Bulk stage changes


def test_bulk_stage_change_moves_the_selected_candidates_with_an_audit_entry_each(
    as_user, alice, org_a, ada, grace
):
    carol = CandidateFactory(organization=org_a, stage=Stage.REJECTED)
    untouched = CandidateFactory(organization=org_a)
    response = as_user(alice).post(
        BULK,
        {
            "candidates": [str(ada.code), str(grace.code), str(carol.code)],
            "stage": "rejected",
            "next": f"{LIST}?stage=new",
        },
        follow=True,
    )
    assertRedirects(response, f"{LIST}?stage=new")
    assertContains(response, "Moved 2 candidates to Rejected. 1 was already there.")
    assert set(Candidate.objects.filter(stage="rejected")) == {ada, grace, carol}
    untouched.refresh_from_db()
    assert untouched.stage == Stage.NEW
    assert StageChange.objects.filter(changed_by=alice, to_stage="rejected").count() == 2


def test_bulk_with_nothing_selected_says_so(as_user, alice, ada):
    response = as_user(alice).post(BULK, {"stage": "hired"}, follow=True)
    assertContains(response, "Select at least one candidate.")
    assert not StageChange.objects.exists()


def test_bulk_needs_a_chosen_stage(as_user, alice, ada):
    response = as_user(alice).post(BULK, {"candidates": [str(ada.code)], "stage": ""}, follow=True)
    assertContains(response, "Choose the stage to move them to.")
    assert not StageChange.objects.exists()


def test_bulk_refuses_an_unknown_stage_or_a_garbled_selection(as_user, alice, ada):
    response = as_user(alice).post(BULK, {"candidates": [str(ada.code)], "stage": "x"}, follow=True)
    assertContains(response, "Select a valid choice")
    response = as_user(alice).post(BULK, {"candidates": ["nope"], "stage": "hired"}, follow=True)
    assertContains(response, "The selection is not valid")
    assert not StageChange.objects.exists()


def test_bulk_with_another_organisations_code_is_404_and_moves_nobody(
    as_user, alice, charlie, ada, dora
):
    response = as_user(charlie).post(BULK, {"candidates": [str(ada.code)], "stage": "hired"})
    assert response.status_code == 404
    response = as_user(alice).post(
        BULK, {"candidates": [str(ada.code), str(dora.code)], "stage": "hired"}
    )
    assert response.status_code == 404
    assert not StageChange.objects.exists()
    assert set(Candidate.objects.values_list("stage", flat=True)) == {"new"}


def test_bulk_ignores_an_offsite_next(as_user, alice, ada):
    response = as_user(alice).post(
        BULK, {"candidates": [str(ada.code)], "stage": "hired", "next": "https://evil.example/"}
    )
    assertRedirects(response, LIST, fetch_redirect_response=False)

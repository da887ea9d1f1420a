"""Journey 4: a candidate takes a timed assessment, goes offline, reloads, switches device."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import builder, grading
from assessments.models import Assessment, Attempt, Question, Response, Section
from recruiting.models import Invitation, Membership, Organization, User
from tests.browser.a11y import axe_violations
from tests.factories import CandidateFactory

TYPES = [
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numeric",
    "sql",
    "free_text",
]


@pytest.fixture
def invitation(transactional_db):
    from assessments.services import question_bank_load
    from roles.models import RoleProfile
    from roles.services import library_load

    library_load()
    question_bank_load()
    org = Organization.objects.create(name="Acme Hiring", slug="acme")
    owner = User.objects.create_user(email="owner@acme.test", password="x")
    Membership.objects.create(user=owner, organization=org, role="owner")
    profile = RoleProfile.objects.get(role__slug="backend-developer", level__slug="mid-level")
    assessment = Assessment.objects.create(
        organization=org,
        title="Backend check",
        role_profile=profile,
        time_limit_minutes=30,
        shuffle_questions=False,
        show_results_to_candidate=True,
    )
    section = Section.objects.create(
        assessment=assessment,
        skill=profile.skills.get(slug="sql"),
        question_count=7,
        difficulty_min=1,
        difficulty_max=4,
        weight=5,
    )
    for question_type in TYPES:
        section.pinned_questions.add(
            Question.objects.drawable().filter(skill__slug="sql", type=question_type).first()
        )
    builder.assessment_publish(assessment=assessment)
    return Invitation.objects.create(
        candidate=CandidateFactory(organization=org, name="Casey Candidate"),
        assessment=assessment,
        expires_at=timezone.now() + timedelta(days=3),
        status="sent",
    )


def _answer(page, item, key):
    """Answer one question in the page the way a person would."""
    panel = page.locator(f"#q-{item.position}")
    reference = grading.reference_answer(key)
    kind = item.question.type
    if kind in ("single_choice", "true_false"):
        panel.locator(f'input[value="{reference}"]').check()
    elif kind == "multiple_choice":
        for choice_id in reference:
            panel.locator(f'input[value="{choice_id}"]').check()
    elif kind == "numeric":
        panel.get_by_label("Your answer (a number)").fill(str(reference))
    elif kind == "sql":
        panel.locator("textarea").fill(reference)
        panel.get_by_role("button", name="Run query").click()
        expect(panel.locator(".sql-result table")).to_be_visible()
    elif kind == "free_text":
        panel.locator("textarea").fill("I would measure first, then change one thing at a time.")
    else:
        panel.locator("input.answer-text").fill(str(reference))


def _items(invitation):
    attempt = Attempt.objects.get(invitation=invitation)
    return attempt, list(attempt.items.select_related("question").order_by("position"))


def _key(item):
    return Question.objects.with_keys().get(pk=item.question_id).grading_key()


def _saved(page):
    expect(page.locator("#save-state")).to_have_text("All answers saved", timeout=10_000)


def test_a_candidate_completes_every_question_type_offline_reload_and_second_device(
    live_server, browser, invitation, screenshot
):
    context = browser.new_context()
    page = context.new_page()
    link = f"{live_server.url}/t/{invitation.token}/"
    page.goto(link)
    expect(page.get_by_role("heading", name="Backend check")).to_be_visible()
    assert axe_violations(page) == []
    screenshot("candidate-landing", page)
    page.get_by_label(re.compile("I have read")).check()
    page.get_by_role("button", name=re.compile("Start")).click()
    expect(page.locator("#timer")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    assert axe_violations(page) == []
    screenshot("candidate-question", page)

    attempt, items = _items(invitation)
    assert sorted(i.question.type for i in items) == sorted(TYPES)

    # Answer the first four, then reload: everything is still there.
    for item in items[:4]:
        page.locator(f'.nav-q[data-goto="{item.position}"]').click()
        _answer(page, item, _key(item))
    _saved(page)
    page.reload()
    for item in items[:4]:
        response = Response.objects.get(item=item)
        assert grading.grade(_key(item), response.answer).points == item.question.points

    # Offline: three answers wait on this device, then arrive in order.
    context.set_offline(True)
    for item in items[4:]:
        page.locator(f'.nav-q[data-goto="{item.position}"]').click()
        if item.question.type == "sql":  # running a query needs the network
            page.locator(f"#q-{item.position} textarea").fill(grading.reference_answer(_key(item)))
        else:
            _answer(page, item, _key(item))
        page.locator(f"#q-{item.position} h2").click()
    expect(page.locator("#save-state")).to_contain_text("Offline", timeout=10_000)
    assert not Response.objects.filter(item__in=items[4:], revision__gt=0).exists()
    context.set_offline(False)
    _saved(page)
    stored = Response.objects.filter(item__in=items[4:]).order_by("saved_at")
    assert [r.item_id for r in stored] == [i.pk for i in items[4:]]

    # A second device continues the same attempt with every saved answer.
    other = browser.new_context(user_agent="Another device")
    second = other.new_page()
    second.goto(link)  # a started link goes straight back to the questions
    expect(second.locator("#timer")).to_be_visible()
    assert Attempt.objects.filter(invitation=invitation).count() == 1
    first_text = next(i for i in items if i.question.type == "short_answer")
    expect(second.locator(f"#q-{first_text.position} input.answer-text")).to_have_value(
        str(grading.reference_answer(_key(first_text)))
    )
    assert attempt.events.filter(kind="new_device").exists()
    other.close()

    # Flag one, review, submit.
    page.locator(f'.nav-q[data-goto="{items[0].position}"]').click()
    page.get_by_role("button", name="Flag for review").first.click()
    page.locator('[data-goto="review"]').first.click()
    expect(page.get_by_role("heading", name="Review before you submit")).to_be_visible()
    expect(page.locator("#review-summary")).to_contain_text("Every question has an answer")
    assert axe_violations(page) == []
    screenshot("candidate-review", page)
    page.get_by_role("button", name="Submit assessment").click()
    page.get_by_role("button", name="Submit now").click()
    expect(page.get_by_role("heading", name=re.compile("your answers are in"))).to_be_visible()
    assert axe_violations(page) == []
    screenshot("candidate-done", page)
    attempt.refresh_from_db()
    assert attempt.state == "submitted"
    assert attempt.provisional  # the free-text answer waits for a reviewer
    context.close()


def test_the_question_page_works_at_375px_with_the_keyboard(
    live_server, browser, invitation, screenshot
):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{invitation.token}/")
    page.get_by_label(re.compile("I have read")).check()
    page.get_by_role("button", name=re.compile("Start")).click()
    expect(page.locator("#timer")).to_be_visible()
    # No question makes the page scroll sideways: code in a prompt scrolls in
    # its own box (two of these questions have wide code blocks).
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    for position in range(1, len(TYPES) + 1):
        page.locator(f'.nav-q[data-goto="{position}"]').click()
        expect(page.locator(f"#q-{position}")).to_be_visible()
        assert page.evaluate(overflow) <= 0, f"question {position} is wider than the phone"
    page.locator('.nav-q[data-goto="1"]').click()
    screenshot("candidate-question-375px", page)
    # Keyboard only: the first question's first control is reachable and answerable.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused
    context.close()


def test_the_page_submits_itself_when_time_is_up(live_server, page, invitation):
    from assessments.attempts import attempt_start

    attempt = attempt_start(invitation=invitation).attempt
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.goto(f"{live_server.url}/t/{invitation.token}/take/")
    expect(page.get_by_role("heading", name=re.compile("your answers are in"))).to_be_visible(
        timeout=20_000
    )
    attempt.refresh_from_db()
    assert attempt.state == "submitted"

"""Journeys 2 and 3: sign up, build from a profile, preview, publish, invite, copy the link."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from recruiting.models import Invitation


@pytest.fixture
def bank(transactional_db):
    from assessments.services import question_bank_load
    from roles.services import library_load

    library_load()
    question_bank_load()


def test_a_recruiter_signs_up_builds_publishes_and_invites(live_server, browser, bank, screenshot):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()

    # From the public profile page to sign-up, keeping where they were going.
    page.goto(f"{live_server.url}/roles/backend-engineer/senior/")
    page.get_by_role("link", name="Build an assessment for this profile").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Full name").fill("Rosa Recruiter")
    page.get_by_label("Work email").fill("rosa@northwind.test")
    page.get_by_label("Organisation name").fill("Northwind Hiring")
    page.locator("#id_password1").fill("a-long-unusual-passphrase-42")
    page.locator("#id_password2").fill("a-long-unusual-passphrase-42")
    screenshot("recruiter-signup", page)
    page.get_by_role("button", name="Create account and organisation").click()

    # The proposal for Backend Engineer — Senior.
    expect(
        page.get_by_role("heading", name=re.compile("Proposed for Backend Engineer — Senior"))
    ).to_be_visible()
    screenshot("recruiter-proposal", page)
    page.get_by_role("button", name="Create draft assessment").click()
    expect(page.get_by_role("heading", name="Sections")).to_be_visible()
    screenshot("recruiter-assessment-draft", page)

    # Adjust: one section's count, then preview a real draw.
    first_count = page.locator("input[name=question_count]").first
    first_count.fill("3")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Section saved.")).to_be_visible()
    page.get_by_role("link", name="Preview as a candidate").click()
    expect(page.get_by_role("heading", name="Preview as a candidate")).to_be_visible()
    assert page.locator(".preview-question").count() == 21
    screenshot("recruiter-preview", page)
    page.get_by_role("link", name=re.compile("Backend Engineer — Senior assessment")).click()

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. You can now invite candidates.")).to_be_visible()
    assessment = Assessment.objects.get(organization__name="Northwind Hiring")
    assert assessment.status == "published"

    # Invite one new candidate, then copy the link from the invitation list.
    page.get_by_role("link", name="Invite candidates").click()
    page.get_by_label("New candidates").fill("Jane Doe <jane@example.com>")
    screenshot("recruiter-invite", page)
    page.get_by_role("button", name="Send invitations").click()
    invitation = Invitation.objects.get(candidate__email="jane@example.com")
    assert invitation.assessment == assessment
    if "invitations/?" not in page.url:
        page.goto(f"{live_server.url}/app/invitations/?assessment={assessment.code}")
    expect(page.get_by_role("link", name="Jane Doe")).to_be_visible()
    page.get_by_role("button", name="Copy link").first.click()
    expect(page.get_by_text("Link copied").first).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/t/{invitation.token}/")
    screenshot("recruiter-invitations", page)
    context.close()

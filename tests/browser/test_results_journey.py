"""Journey 5: a recruiter reads results, compares candidates, grades free text, exports CSV."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.models import Attempt, Response


@pytest.fixture
def demo(transactional_db):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_library", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())


def test_a_recruiter_reads_a_report_compares_grades_and_exports(
    live_server, browser, demo, screenshot
):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("recruiter@example.com")
    page.get_by_label("Password").fill("yardstick-demo")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name=re.compile("Backend Engineer — Senior assessment")).click()
    page.goto(page.url + "results/")
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    screenshot("results-table", page)

    # Compare the two finished candidates.
    page.get_by_label("Select Ada Lovelace").check()
    page.get_by_label("Select Grace Hopper").check()
    page.get_by_role("button", name="Compare selected").click()
    expect(page.get_by_role("heading", name="Compare candidates")).to_be_visible()
    expect(page.locator("table.compare-candidates")).to_contain_text("Grace Hopper")
    screenshot("results-compare", page)
    page.go_back()

    # The report answers "at what level, and where weak".
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Seniority fit")).to_be_visible()
    expect(page.locator(".fit-box .lead")).to_contain_text(re.compile("Meets|Below"))
    expect(page.locator("svg.skill-chart")).to_be_visible()
    screenshot("results-report", page)
    page.emulate_media(media="print")
    screenshot("results-report-print", page)
    page.emulate_media(media="screen")

    # Grade the written answers; the attempt stops being provisional.
    ada = Attempt.objects.get(invitation__candidate__name="Ada Lovelace")
    assert ada.provisional
    page.get_by_role("link", name="Grading", exact=True).click()
    for _ in range(30):  # "Save and next" walks the answers; the queue ends the walk
        grade_links = page.get_by_role("link", name=re.compile("^Grade — answer"))
        if grade_links.count():
            grade_links.first.click()
        elif not page.locator("input[type=number]").count():
            break
        for field in page.locator("input[type=number]").all():
            field.fill(field.get_attribute("max") or "1")
        screenshot("grading-answer", page)
        page.get_by_role("button", name=re.compile("Save")).click()
    assert not Response.objects.filter(
        item__attempt__invitation__assessment=ada.invitation.assessment, pending_review=True
    ).exists()
    ada.refresh_from_db()
    assert not ada.provisional

    # CSV export downloads the same columns.
    page.goto(f"{live_server.url}/app/assessments/{ada.invitation.assessment.code}/results/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Candidate,Email,Status,Overall %")
    assert "Ada Lovelace" in text
    page.close()

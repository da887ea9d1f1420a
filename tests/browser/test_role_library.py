"""Journey 1: a visitor browses the library, opens a profile and compares the roles."""

import re

from playwright.sync_api import expect


def test_a_visitor_browses_the_library_a_profile_and_the_comparison(
    live_server, page, browser_library, screenshot
):
    page.goto(f"{live_server.url}/roles/")
    expect(page.get_by_role("heading", name="Role library")).to_be_visible()
    expect(page.get_by_role("heading", name="Backend Engineer", exact=True)).to_be_visible()
    screenshot("library")

    page.get_by_role("link", name=re.compile(r"Senior .*Backend Engineer")).click()
    expect(page).to_have_url(re.compile(r"/roles/backend-engineer/senior/$"))
    expect(page.get_by_role("heading", name="Weighted skills")).to_be_visible()
    expect(page.get_by_role("link", name="Build an assessment for this profile")).to_be_visible()
    expect(page.get_by_text("Glassdoor", exact=False)).to_be_visible()
    screenshot("profile-backend-engineer-senior")

    page.get_by_role("link", name=re.compile("Compare with Backend Developer at Senior")).click()
    expect(page.get_by_role("heading", name="Skills side by side")).to_be_visible()
    assert page.locator("tr.differs").count() > 0
    screenshot("compare-senior")

    # The comparison form switches level without leaving the page's layout.
    page.get_by_label("at", exact=True).select_option("junior")
    page.get_by_role("button", name="Update comparison").click()
    expect(page).to_have_url(re.compile(r"level=junior"))
    expect(page.locator("h1 .level-badge")).to_have_text("Junior")


def test_pages_fit_a_375px_phone_without_sideways_scrolling(
    live_server, browser, browser_library, screenshot
):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    phone = context.new_page()
    for name, path in [
        ("phone-library", "/roles/"),
        ("phone-profile", "/roles/backend-developer/lead/"),
        ("phone-compare", "/roles/compare/"),
        ("phone-404", "/roles/nothing/here/"),
    ]:
        phone.goto(f"{live_server.url}{path}")
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
        screenshot(name, phone)
    phone.get_by_role("button", name="Toggle navigation").click()
    expect(phone.get_by_role("link", name="Log in")).to_be_visible()
    context.close()

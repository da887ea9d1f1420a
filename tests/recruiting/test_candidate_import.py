"""CSV import of candidates: upload → preview (nothing written) → confirm."""

import re
from html import unescape
from unittest import mock

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from recruiting.forms.candidates import (
    FILE_EMPTY,
    FILE_NO_ROWS,
    FILE_TOO_BIG,
    IMPORT_MAX_BYTES,
    PAYLOAD_EXPIRED,
    PAYLOAD_INVALID,
    CandidateImportConfirmForm,
    CandidateImportForm,
)
from recruiting.models import Candidate
from recruiting.services import candidates as candidate_services
from recruiting.services.candidates import candidate_create, candidate_import
from tests.factories import CandidateFactory

UPLOAD = reverse("recruiting:candidate-import")
CONFIRM = reverse("recruiting:candidate-import-confirm")
SAMPLE = reverse("recruiting:candidate-import-sample")

GOOD = (
    "name,email,tags\n"
    "Ada Lovelace,ada@example.com,Python;remote\n"
    "Grace Hopper,grace@example.com,cobol|Compilers|cobol\n"
)


def csv_file(text: str | bytes, name="candidates.csv"):
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, text, name="candidates.csv"):
    return client.post(UPLOAD, {"file": csv_file(text, name)})


def payload_of(response) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "the preview has no confirm form"
    return unescape(match.group(1))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# The happy path


def test_a_good_file_is_previewed_then_imported_on_confirm(as_user, alice, org_a):
    client = as_user(alice)
    response = upload(client, GOOD)
    assert response.status_code == 200
    assertContains(response, "2 candidates will be imported")
    assertContains(response, "Will be created", count=2)
    assertContains(response, "Import 2 candidates")
    assert not Candidate.objects.exists()

    response = client.post(CONFIRM, {"payload": payload_of(response)})
    assertContains(response, "2 candidates imported")
    ada, grace = Candidate.objects.order_by("name")
    assert (ada.organization, ada.name, ada.email, ada.tags, ada.created_by) == (
        org_a,
        "Ada Lovelace",
        "ada@example.com",
        ["python", "remote"],
        alice,
    )
    assert grace.tags == ["cobol", "compilers"]


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffName,EMAIL,Tags\nAda,ada@example.com,x\n",  # BOM, header case
        "email;phone;name\nada@example.com;555;Ada\n",  # semicolons, extra column, order
        "name\temail\nAda\tada@example.com\n",  # tabs
        '"name","email","tags"\r\n"Ada","ada@example.com","a;b"\r\n',  # quoted, CRLF
    ],
    ids=["bom", "semicolon", "tab", "quoted-crlf"],
)
def test_headers_delimiters_and_bom_are_tolerated(as_user, alice, text):
    response = upload(as_user(alice), text)
    assertContains(response, "1 candidate will be imported")
    row = response.context["rows"][0]
    assert (row.line, row.name, row.email) == (2, "Ada", "ada@example.com")


# Bad rows: each reported with its line number, nothing written before confirm


def test_bad_rows_are_reported_with_their_line_numbers(as_user, alice):
    text = (
        "name,email,tags\n"
        "Ada Lovelace,ada@example.com,\n"  # line 2: fine
        ",nobody@example.com,\n"  # line 3: no name
        "\n"  # line 4: blank, ignored
        "Bad Email,not-an-email,\n"  # line 5
        "No Email,,\n"  # line 6
        '"Multi\nLine",multi@example.com,\n'  # lines 7-8: fine, starts on line 7
        f"Tagged,tagged@example.com,{'x' * 41}\n"  # line 9: tag too long
    )
    client = as_user(alice)
    response = upload(client, text)
    problems = {row.line: row.problem for row in response.context["problems"]}
    assert problems == {
        3: "The name is missing.",
        5: "“not-an-email” is not a valid email address.",
        6: "The email address is missing.",
        9: "The tag “" + "x" * 40 + "…” is longer than 40 characters.",
    }
    assert [row.line for row in response.context["rows"] if row.ok] == [2, 7]
    assertContains(response, "2 candidates will be imported")
    assertContains(response, "4 rows will be skipped")
    assertContains(response, "Line 5")
    assert not Candidate.objects.exists()

    client.post(CONFIRM, {"payload": payload_of(response)})
    assert set(Candidate.objects.values_list("email", flat=True)) == {
        "ada@example.com",
        "multi@example.com",
    }


def test_duplicates_in_the_file_and_in_the_organisation_are_skipped(as_user, alice, org_a, org_b):
    CandidateFactory(organization=org_a, email="Known@Example.com")
    CandidateFactory(organization=org_b, email="other-org@example.com")
    text = (
        "name,email\n"
        "Known,known@example.com\n"  # 2: already a candidate (any case)
        "Ada,ada@example.com\n"  # 3: fine
        "Ada Again,ADA@example.com\n"  # 4: same as line 3
        "Other,other-org@example.com\n"  # 5: fine: another organisation's candidate
        "Bad,bad@\n"  # 6: bad
        "Bad Again,bad@\n"  # 7: bad too, not a "duplicate" of a row that is not imported
    )
    client = as_user(alice)
    response = upload(client, text)
    problems = {row.line: row.problem for row in response.context["problems"]}
    assert problems[2] == "A candidate with this email address is already in your organisation."
    assert problems[4] == "Same email address as line 3."
    assert "not a valid email" in problems[7]
    assert set(problems) == {2, 4, 6, 7}
    client.post(CONFIRM, {"payload": payload_of(response)})
    assert Candidate.objects.filter(organization=org_a).count() == 3


def test_a_candidate_added_between_preview_and_confirm_is_not_duplicated(as_user, alice, org_a):
    client = as_user(alice)
    response = upload(client, GOOD)
    candidate_create(organization=org_a, name="Ada", email="ADA@example.com", tags=[], by=alice)
    response = client.post(CONFIRM, {"payload": payload_of(response)})
    assertContains(response, "1 candidate imported")
    assertContains(response, "Skipped since the preview")
    assertContains(response, "Line 2")
    assert Candidate.objects.filter(email__iexact="ada@example.com").count() == 1
    assert Candidate.objects.count() == 2


def test_the_unique_constraint_backs_the_import(org_a, alice, monkeypatch):
    # As if a writer that skips the organisation lock inserted after our check.
    CandidateFactory(organization=org_a, email="ada@example.com")
    monkeypatch.setattr(candidate_services, "_row_problem", lambda row, existing: None)
    result = candidate_import(
        organization=org_a,
        rows=[
            {"line": 2, "name": "Ada", "email": "ADA@example.com", "tags": []},
            {"line": 3, "name": "Grace", "email": "grace@example.com", "tags": []},
        ],
        by=alice,
    )
    assert [c.email for c in result.created] == ["grace@example.com"]
    assert [row.line for row in result.skipped] == [2]
    assert Candidate.objects.filter(email__iexact="ada@example.com").count() == 1


# Files refused as a whole


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    class Huge(SimpleUploadedFile):
        def read(self, *args, **kwargs):
            raise AssertionError("the file was read")

    big = Huge("big.csv", b"", content_type="text/csv")
    big.size = IMPORT_MAX_BYTES + 1
    form = CandidateImportForm(data={}, files={"file": big})
    assert not form.is_valid()
    assert form.errors["file"] == [str(FILE_TOO_BIG)]


def test_a_file_over_5_mb_is_refused_on_the_page(as_user, alice):
    text = "name,email\n" + "x" * IMPORT_MAX_BYTES
    response = upload(as_user(alice), text)
    assertContains(response, "larger than 5 MB")
    assert not Candidate.objects.exists()


def test_a_non_utf8_file_is_refused_with_the_reason(as_user, alice):
    response = upload(as_user(alice), "name,email\nJosé,jose@example.com\n".encode("latin-1"))
    assertContains(response, "not UTF-8 text")
    assertContains(response, "position 14")
    assertContains(response, "CSV UTF-8")
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The submitted file is empty."),  # Django's own check for 0 bytes
        ("\ufeff\n\n  \n", str(FILE_EMPTY)),
        ("name,email\n\n", str(FILE_NO_ROWS)),
        (
            "full name,mail\nAda,ada@example.com\n",
            "including “name” and “email”. Found: “full name”, “mail”.",
        ),
        ("name,email\nAda,\x00ada@example.com\n", "contains NUL bytes"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like a spreadsheet workbook"),
        ('name,email\n"Ada,ada@example.com\n', "could not be read as CSV near line 2"),
    ],
    ids=["zero-bytes", "blank", "header-only", "no-headers", "nul-byte", "xlsx", "open-quote"],
)
def test_unusable_files_are_refused_clearly(as_user, alice, text, message):
    response = upload(as_user(alice), text)
    assert response.status_code == 200
    assertContains(response, message)
    assertNotContains(response, 'name="payload"')


def test_too_many_rows_are_refused(as_user, alice, settings):
    rows = "".join(f"P{n},p{n}@example.com\n" for n in range(5001))
    response = upload(as_user(alice), "name,email\n" + rows)
    assertContains(response, "more than 5,000 rows")


# The signed payload


def test_a_tampered_payload_imports_nothing(as_user, alice):
    client = as_user(alice)
    payload = payload_of(upload(client, GOOD))
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    response = client.post(CONFIRM, {"payload": tampered}, follow=True)
    assert str(PAYLOAD_INVALID) in messages_of(response)
    assert not Candidate.objects.exists()


def test_a_forged_payload_without_the_key_imports_nothing(as_user, alice, org_a):
    forged = signing.dumps(
        {"rows": [{"line": 2, "name": "X", "email": "x@example.com", "tags": []}], "skipped": 0},
        key="not-the-secret",
        salt=f"recruiting.candidate-import.{org_a.pk}",
        compress=True,
    )
    response = as_user(alice).post(CONFIRM, {"payload": forged}, follow=True)
    assert str(PAYLOAD_INVALID) in messages_of(response)
    assert not Candidate.objects.exists()


def test_another_organisations_payload_imports_nothing(as_user, alice, charlie, org_a, org_b):
    charlie_payload = payload_of(upload(as_user(charlie), GOOD))
    response = as_user(alice).post(CONFIRM, {"payload": charlie_payload}, follow=True)
    assert str(PAYLOAD_INVALID) in messages_of(response)
    alice_payload = payload_of(upload(as_user(alice), GOOD))
    response = as_user(charlie).post(CONFIRM, {"payload": alice_payload}, follow=True)
    assert str(PAYLOAD_INVALID) in messages_of(response)
    assert not Candidate.objects.exists()


def test_a_stale_preview_imports_nothing(as_user, alice, org_a):
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        payload = CandidateImportConfirmForm.dumps(
            organization=org_a,
            rows=[{"line": 2, "name": "Ada", "email": "ada@example.com", "tags": []}],
            skipped=0,
        )
    response = as_user(alice).post(CONFIRM, {"payload": payload}, follow=True)
    assert str(PAYLOAD_EXPIRED) in messages_of(response)
    assert not Candidate.objects.exists()


def test_a_signed_payload_is_still_checked_by_the_service(as_user, alice, org_a):
    # Even a genuine payload goes through the same row checks again on confirm.
    payload = CandidateImportConfirmForm.dumps(
        organization=org_a,
        rows=[{"line": 2, "name": "", "email": "nope", "tags": []}],
        skipped=0,
    )
    as_user(alice).post(CONFIRM, {"payload": payload})
    assert not Candidate.objects.exists()


# Persona ladder


@pytest.mark.parametrize(
    ("url", "verb"), [(UPLOAD, "get"), (UPLOAD, "post"), (CONFIRM, "post"), (SAMPLE, "get")]
)
def test_anonymous_is_sent_to_login(as_user, org_a, url, verb):
    response = getattr(as_user(None), verb)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("url", "verb"), [(UPLOAD, "get"), (UPLOAD, "post"), (CONFIRM, "post"), (SAMPLE, "get")]
)
def test_reviewers_cannot_import(as_user, alice, bob, url, verb):
    payload = payload_of(upload(as_user(alice), GOOD))
    data = {"file": csv_file(GOOD)} if url == UPLOAD else {"payload": payload}
    response = getattr(as_user(bob), verb)(url, data)
    assert response.status_code == 403
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "rita", "charlie"])
def test_writers_can_import_into_their_own_organisation(request, as_user, persona):
    user = request.getfixturevalue(persona)
    client = as_user(user)
    assert client.get(UPLOAD).status_code == 200
    client.post(CONFIRM, {"payload": payload_of(upload(client, GOOD))})
    organization = user.memberships.get().organization
    assert Candidate.objects.filter(organization=organization).count() == 2
    assert Candidate.objects.count() == 2


def test_confirm_refuses_get(as_user, alice):
    assert as_user(alice).get(CONFIRM).status_code == 405


def test_the_sample_file_imports_cleanly(as_user, alice):
    client = as_user(alice)
    sample = client.get(SAMPLE)
    assert sample["Content-Type"].startswith("text/csv")
    response = upload(client, sample.content)
    assertContains(response, "2 candidates will be imported")

"""Measurements taken inside Django: integrity, recruiter pages, question statistics.

Recruiter pages go through Django's test client in this process (the same
middleware, views and templates as under gunicorn), which lets one request be
counted query by query with CaptureQueriesContext and the others be timed.
Import after Django is set up (bench/cli.py does it; the test suite has it).
"""

import inspect
import time
from collections.abc import Callable

from django.db import connection
from django.db.models import Count, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from assessments.models import Attempt, Response

from . import report, seed

# Each page at each size: one counted request, then up to REPEATS timed ones,
# stopping early once PAGE_BUDGET_S is spent (a slow page must not eat the run).
REPEATS = 9
PAGE_BUDGET_S = 12.0


def integrity_check(*, expected: dict) -> dict:
    """Compare stored answers with the last revision each candidate sent.

    `expected` maps token -> {position (str or int) -> {"revision", "answer"}}:
    the last save the server confirmed. Saves still in flight when a load run
    stopped are listed under "in_flight"; storing one newer than the confirmed
    save is correct too (a browser resends a save it got no answer to).
    Anything else stored is a lost or stale answer.
    """
    wanted = {
        (token, int(position)): sent
        for token, positions in expected.items()
        for position, sent in positions.items()
    }
    in_flight = sum(len(sent.get("in_flight", [])) for sent in wanted.values())
    stored = {
        (token, position): (revision, answer)
        for token, position, revision, answer in Response.objects.filter(
            item__attempt__invitation__token__in=list(expected)
        ).values_list("item__attempt__invitation__token", "item__position", "revision", "answer")
    }
    examples, mismatches = [], 0
    for key, sent in sorted(wanted.items()):
        have = stored.get(key)
        allowed = [(sent["revision"], sent["answer"])] + [
            (later["revision"], later["answer"])
            for later in sent.get("in_flight", [])
            if later["revision"] > sent["revision"]
        ]
        if have not in allowed:
            mismatches += 1
            if len(examples) < 5:
                examples.append(
                    f"{key[0][:6]}… #{key[1]}: confirmed r{sent['revision']}, "
                    f"stored {'nothing' if have is None else f'r{have[0]}'}"
                )
    return {
        "candidates": len(expected),
        "checked": len(wanted),
        "mismatches": mismatches,
        "in_flight": in_flight,
        "examples": examples,
    }


def started_count(*, tokens: list[str]) -> dict:
    """How many of these invitations hold a started attempt (the start burst's outcome).

    Opening the landing page already drew a "prepared" attempt; only Start starts it.
    """
    attempts = (
        Attempt.objects.filter(invitation__token__in=tokens)
        .exclude(state=Attempt.State.PREPARED)
        .count()
    )
    return {"invitations": len(tokens), "attempts": attempts}


def _time_page(client: Client, url: str) -> dict:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    cell = {
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        # Where the time goes when a page grows: kept in the JSON, not in the table.
        "slowest_queries": [
            {"ms": float(q["time"]) * 1000, "sql": q["sql"][:600]} for q in slowest
        ],
    }
    if response.status_code != 200:
        return cell
    times = []
    spent = time.perf_counter()
    for _ in range(REPEATS):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        if time.perf_counter() - spent > PAGE_BUDGET_S:
            break
    cell.update(median_ms=report.median(times), samples=len(times), bytes=len(response.content))
    return cell


def page_urls(workspace: seed.Workspace) -> dict[str, str | None]:
    """The recruiter pages measured; None for one that does not exist (yet)."""
    try:
        results = reverse("assessments:results", args=[workspace.assessment.code])
    except NoReverseMatch:
        results = None
    return {
        "results": results,
        "candidates": reverse("recruiting:candidate-list"),
        "dashboard": reverse("recruiting:dashboard"),
    }


def recruiter_pages(
    *, sizes: list[int], slug: str = "bench-pages", log: Callable[[str], None] = print
) -> tuple[dict, seed.Workspace]:
    """Grow one organisation through `sizes` completed attempts, timing each page at each size."""
    workspace = seed.workspace_create(slug=slug)
    client = Client()
    client.force_login(workspace.owner)
    urls = page_urls(workspace)
    pages = {key: {"url": url, "sizes": {}} for key, url in urls.items()}
    for key, url in urls.items():
        if url is None:
            pages[key].update(available=False, reason="not yet available (no URL)")
    made = 0
    for size in sizes:
        began = time.perf_counter()
        made += seed.completed_attempts_create(workspace=workspace, count=size - made, start=made)
        log(f"  seeded {made:,} completed attempts in {time.perf_counter() - began:.1f} s")
        refresh_planner_statistics()
        for key, url in urls.items():
            if url is None:
                continue
            cell = _time_page(client, url)
            pages[key]["sizes"][str(size)] = cell
            if cell["status"] == 404 and key == "results":
                pages[key].update(available=False, reason="not yet available (404)")
    return pages, workspace


def refresh_planner_statistics() -> None:
    """On PostgreSQL, VACUUM ANALYZE after a bulk load, as autovacuum does within a minute.

    Without it the planner guesses from an empty table, and index-only scans
    read the table anyway until the visibility map is set (PostgreSQL 13+
    vacuums after inserts too): the first minute after seeding would be
    measured, not the steady state. SQLite has no automatic ANALYZE, so it is
    measured as production runs it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM refuses to run in a transaction (the smoke test's); ANALYZE alone then.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _call_stats(function) -> object:
    """Call question_stats_compute with whatever keyword arguments it requires."""
    parameters = inspect.signature(function).parameters
    required = [
        name
        for name, p in parameters.items()
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    if required:
        raise TypeError(f"question_stats_compute needs {', '.join(required)}")
    return function()


def _aggregate() -> list:
    """One plain GROUP BY over the same rows: submitted responses per question."""
    return list(
        Response.objects.filter(item__attempt__state=Attempt.State.SUBMITTED)
        .values("item__question_id")
        .annotate(n=Count("pk"), points=Sum("auto_points"), possible=Sum("max_points"))
        .order_by()
    )


def _median_seconds(function, *, runs: int, budget_s: float) -> tuple[float, int]:
    times = []
    spent = time.perf_counter()
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
        if time.perf_counter() - spent > budget_s:
            break
    return report.median(times), len(times)


def question_statistics(*, runs: int = 3, budget_s: float = 40.0) -> dict:
    """Time assessments.statistics.question_stats_compute() against one aggregate query."""
    try:
        from assessments.statistics import question_stats_compute
    except ImportError as error:
        return {"available": False, "reason": f"not yet available ({error})"}
    responses = Response.objects.filter(item__attempt__state=Attempt.State.SUBMITTED).count()
    try:
        stats_s, stats_runs = _median_seconds(
            lambda: _call_stats(question_stats_compute), runs=runs, budget_s=budget_s
        )
    except TypeError as error:
        return {"available": False, "reason": f"not measured: {error}"}
    _aggregate()  # warm the cache the same way the statistics' first run did
    aggregate_s, aggregate_runs = _median_seconds(_aggregate, runs=max(runs, 5), budget_s=10.0)
    return {
        "responses": responses,
        "stats_s": stats_s,
        "stats_runs": stats_runs,
        "aggregate_s": aggregate_s,
        "aggregate_runs": aggregate_runs,
    }

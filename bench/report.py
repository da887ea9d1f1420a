"""Targets, verdicts and the Markdown table: pure functions over the measured figures.

Nothing here touches Django, the network or locust, so the test suite can
check the arithmetic and the table's shape with made-up figures.

The figures arrive as one dict (see `bench/run.py`), in milliseconds and
seconds as the keys say. A measurement that could not be taken (a page that
does not exist yet, a step skipped for time) carries `"available": False` and
a `"reason"`; its rows say so instead of a verdict.
"""

import math
from dataclasses import asdict, dataclass

# Targets from issue 7.
AUTOSAVE_RATIO = {"postgresql": 0.35, "sqlite": 0.2}
AUTOSAVE_P99_MS = 50.0
START_P99_S = 1.0
PAGE_TIME_GROWTH = 1.5  # server time at 10,000 attempts / at 100
STATS_RATIO = 5.0
PAGE_WEIGHT_KB = 120.0

MET, NOT_MET, UNAVAILABLE = "met", "not met", "not yet available"
REFERENCE, INFO = "reference", "information"

PAGES = (
    ("results", "Results table"),
    ("candidates", "Candidate list"),
    ("dashboard", "Dashboard"),
)


@dataclass
class Row:
    measurement: str
    result: str
    target: str
    verdict: str


def percentile(values, share: float) -> float:
    """The nearest-rank percentile (share in 0..100) of `values`; NaN when empty."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return float(ordered[min(rank, len(ordered)) - 1])


def median(values) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def latency_summary(samples_ms, *, failures: int = 0, seconds: float | None = None) -> dict:
    """Count, failures, requests/s and p50/p95/p99/max of response times in ms."""
    samples = list(samples_ms)
    count = len(samples)
    return {
        "requests": count,
        "failures": failures,
        "rps": (count / seconds) if seconds else None,
        "p50_ms": percentile(samples, 50),
        "p95_ms": percentile(samples, 95),
        "p99_ms": percentile(samples, 99),
        "max_ms": max(samples) if samples else math.nan,
    }


def _verdict(ok: bool) -> str:
    return MET if ok else NOT_MET


def _num(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def _ms(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _missing(data) -> str | None:
    if not data:
        return "not measured"
    if data.get("available") is False:
        return data.get("reason") or "not measured"
    return None


def _load_line(data: dict) -> str:
    return (
        f"{_num(data.get('rps'))} req/s; p50 {_ms(data.get('p50_ms'))}, "
        f"p95 {_ms(data.get('p95_ms'))}, p99 {_ms(data.get('p99_ms'))}; "
        f"{data.get('failures', 0)} errors in {data.get('requests', 0):,}"
    )


def _load_rows(figures: dict, database: str) -> list[Row]:
    rows = []
    baseline = figures.get("baseline") or {}
    autosave = figures.get("autosave") or {}
    paced = figures.get("autosave_paced") or {}
    users = figures.get("users", 64)
    pacing = figures.get("pacing_s", 1.0)

    gone = _missing(baseline)
    rows.append(
        Row(
            f"1. Baseline `/t/-/ping/`, {users} users, no wait",
            gone or _load_line(baseline),
            "(reference)",
            UNAVAILABLE if gone else REFERENCE,
        )
    )
    gone = _missing(autosave) or _missing(baseline)
    ratio_target = AUTOSAVE_RATIO.get(database, AUTOSAVE_RATIO["postgresql"])
    if gone:
        rows.append(Row(f"2. Autosave, {users} users, no wait", gone, "", UNAVAILABLE))
    else:
        ratio = (autosave.get("rps") or 0) / baseline["rps"] if baseline.get("rps") else 0.0
        figures.setdefault("derived", {})["autosave_ratio"] = ratio
        rows.append(
            Row(
                f"2. Autosave throughput, {users} users, no wait",
                f"{_load_line(autosave)}; **{ratio:.2f} × baseline**",
                f"≥ {ratio_target} × baseline ({database})",
                _verdict(ratio >= ratio_target),
            )
        )
    gone = _missing(paced)
    if gone:
        rows.append(Row("2. Autosave latency", gone, "", UNAVAILABLE))
    else:
        warm_up = ""
        if paced.get("p99_all_ms") is not None:
            warm_up = (
                f" (p99 {_ms(paced['p99_all_ms'])} counting the saves sent while pages loaded)"
            )
        rows.append(
            Row(
                f"2. Autosave latency, {users} candidates saving every {pacing:g} s",
                _load_line(paced) + warm_up,
                f"p99 ≤ {AUTOSAVE_P99_MS:g} ms",
                _verdict((paced.get("p99_ms") or math.inf) <= AUTOSAVE_P99_MS),
            )
        )
    take = figures.get("take_page") or {}
    if not _missing(take):
        rows.append(
            Row(
                f"2. Question page opened by {users} candidates at once (before the paced run)",
                f"p50 {_ms(take.get('p50_ms'))}, p99 {_ms(take.get('p99_ms'))}; "
                f"{take.get('failures', 0)} errors",
                "(information)",
                INFO,
            )
        )
    if not (_missing(autosave) and _missing(paced)):
        errors = (autosave.get("failures") or 0) + (paced.get("failures") or 0)
        sent = (autosave.get("requests") or 0) + (paced.get("requests") or 0)
        rows.append(
            Row(
                "2. Autosave errors (both runs)", f"{errors} in {sent:,}", "0", _verdict(not errors)
            )
        )
    return rows


def _burst_rows(figures: dict) -> list[Row]:
    burst = figures.get("start_burst") or {}
    gone = _missing(burst)
    if gone:
        return [Row("3. Start burst", gone, "", UNAVAILABLE)]
    n = burst.get("requests", 0)
    spread = burst.get("spread_s", 1.0)
    return [
        Row(
            f"3. Start burst: errors ({n} Start presses within {spread:g} s)",
            f"{burst.get('failures', 0)} in {n}" + _examples(burst.get("errors")),
            "0",
            _verdict(burst.get("failures", 0) == 0 and n > 0),
        ),
        Row(
            "3. Start burst: latency",
            f"p50 {_ms(burst.get('p50_ms'))}, p99 {_ms(burst.get('p99_ms'))}, "
            f"max {_ms(burst.get('max_ms'))}; all answered {_num(burst.get('elapsed_s'), 1)} s "
            "after the first press",
            f"p99 ≤ {START_P99_S:g} s",
            _verdict((burst.get("p99_ms") or math.inf) <= START_P99_S * 1000),
        ),
    ]


def _examples(errors) -> str:
    if not errors:
        return ""
    return " (" + "; ".join(str(e) for e in errors[:3]) + ")"


def _integrity_rows(figures: dict) -> list[Row]:
    check = figures.get("integrity") or {}
    gone = _missing(check)
    if gone:
        return [Row("4. Integrity after the load", gone, "", UNAVAILABLE)]
    mismatches = check.get("mismatches", 0)
    result = (
        f"{mismatches} lost or stale of {check.get('checked', 0):,} answers checked "
        f"({check.get('candidates', 0)} candidates; {check.get('in_flight', 0)} saves were "
        "in flight at the stop)" + _examples(check.get("examples"))
    )
    return [
        Row(
            "4. Integrity: stored answer = last revision sent",
            result,
            "0",
            _verdict(mismatches == 0 and check.get("checked", 0) > 0),
        )
    ]


def _size_label(size) -> str:
    return f"{int(size):,}"


def _page_rows(figures: dict) -> list[Row]:
    pages = figures.get("pages") or {}
    gone = _missing(pages)
    if gone:
        return [Row("5. Recruiter pages", gone, "", UNAVAILABLE)]
    rows = []
    for key, label in PAGES:
        page = pages.get(key) or {}
        gone = _missing(page)
        if gone:
            rows.append(Row(f"5. {label}", gone, "", UNAVAILABLE))
            continue
        sizes = sorted(page.get("sizes", {}), key=int)
        cells = [page["sizes"][s] for s in sizes]
        broken = [c for c in cells if c.get("status") != 200]
        if not cells or broken:
            reason = "; ".join(
                f"{_size_label(s)}: HTTP {page['sizes'][s].get('status')}"
                for s in sizes
                if page["sizes"][s].get("status") != 200
            )
            rows.append(Row(f"5. {label}", reason or "not measured", "", NOT_MET))
            continue
        first, last = cells[0], cells[-1]
        queries = " / ".join(str(c["queries"]) for c in cells)
        times = " / ".join(_ms(c["median_ms"]) for c in cells)
        growth = last["median_ms"] / first["median_ms"] if first["median_ms"] else math.inf
        label_sizes = " / ".join(_size_label(s) for s in sizes)
        rows.append(
            Row(
                f"5. {label}: queries at {label_sizes} attempts",
                queries,
                f"same at {_size_label(sizes[-1])} as at {_size_label(sizes[0])}",
                _verdict(last["queries"] == first["queries"]),
            )
        )
        rows.append(
            Row(
                f"5. {label}: median server time at {label_sizes}",
                f"{times} ({growth:.2f} ×)",
                f"≤ {PAGE_TIME_GROWTH:g} × the time at {_size_label(sizes[0])}",
                _verdict(growth <= PAGE_TIME_GROWTH),
            )
        )
    return rows


def _statistics_rows(figures: dict) -> list[Row]:
    stats = figures.get("statistics") or {}
    gone = _missing(stats)
    if gone:
        return [Row("6. Question statistics", gone, "", UNAVAILABLE)]
    ratio = stats["stats_s"] / stats["aggregate_s"] if stats.get("aggregate_s") else math.inf
    figures.setdefault("derived", {})["statistics_ratio"] = ratio
    return [
        Row(
            f"6. Question statistics over {stats.get('responses', 0):,} responses",
            f"{_num(stats['stats_s'] * 1000)} ms vs one aggregate query "
            f"{_num(stats['aggregate_s'] * 1000, 1)} ms: **{ratio:.1f} ×**",
            f"≤ {STATS_RATIO:g} × the aggregate",
            _verdict(ratio <= STATS_RATIO),
        )
    ]


def _weight_rows(figures: dict) -> list[Row]:
    weight = figures.get("page_weight") or {}
    gone = _missing(weight)
    if gone:
        return [Row("7. Question page weight", gone, "", UNAVAILABLE)]
    kb = weight["bytes"] / 1024
    files = weight.get("files", [])
    html = next((f for f in files if f.get("kind") == "html"), None)
    note = ""
    if html and not html.get("encoding"):
        note = f"; the HTML ({_num(html['bytes'] / 1024, 1)} KB) is sent uncompressed"
    hosts = weight.get("third_party_hosts", [])
    return [
        Row(
            "7. Question page weight (compressed, everything it loads)",
            f"{kb:,.1f} KB in {len(files)} files{note}",
            f"≤ {PAGE_WEIGHT_KB:g} KB",
            _verdict(kb <= PAGE_WEIGHT_KB),
        ),
        Row(
            "7. Third-party hosts the question page loads from",
            ", ".join(hosts) if hosts else "none",
            "none",
            _verdict(not hosts),
        ),
    ]


def evaluate(figures: dict) -> list[Row]:
    """Every measurement as a row with its target and verdict, in the issue's order."""
    database = figures.get("database", "sqlite")
    return [
        *_load_rows(figures, database),
        *_burst_rows(figures),
        *_integrity_rows(figures),
        *_page_rows(figures),
        *_statistics_rows(figures),
        *_weight_rows(figures),
    ]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: list[Row]) -> str:
    lines = ["| measurement | result | target | verdict |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {_cell(r.measurement)} | {_cell(r.result)} | {_cell(r.target)} | {_cell(r.verdict)} |"
        for r in rows
    ]
    return "\n".join(lines)


def heading(meta: dict) -> str:
    """When, where and on what the figures were taken, and how busy the machine was."""
    line = (
        f"`make bench` on {meta.get('date', '?')}: {meta.get('database_label', '?')}, "
        f"{meta.get('cores', '?')} cores ({meta.get('cpu', '?')}), "
        f"{meta.get('memory_gb', '?')} GB, Python {meta.get('python', '?')}, "
        f"gunicorn {meta.get('workers', '?')} sync workers; "
        f"took {_num(meta.get('elapsed_s'))} s."
    )
    before, cores = meta.get("load_before"), meta.get("cores") or 1
    if before is not None and before > cores / 2:
        # Other work on the machine shares the cores with the server and the load
        # generator: absolute figures suffer, ratios within the run much less.
        line += (
            f" The machine was already busy (load average {before:g} on {cores} cores"
            f" before the run, {meta.get('load_after', '?')} after)."
        )
    steal = meta.get("cpu_steal")
    if steal is not None and steal >= 0.05:
        # On a virtual machine the host may run other guests on "our" cores.
        line += f" The hypervisor took {steal:.0%} of the CPU time during the run (steal)."
    return line


def summary(rows: list[Row]) -> dict:
    verdicts = [r.verdict for r in rows]
    return {
        "met": verdicts.count(MET),
        "not_met": verdicts.count(NOT_MET),
        "unavailable": verdicts.count(UNAVAILABLE),
        "all_met": NOT_MET not in verdicts and UNAVAILABLE not in verdicts,
    }


def report(figures: dict, meta: dict) -> tuple[str, dict]:
    """The Markdown report and the JSON document written beside it."""
    rows = evaluate(figures)
    text = "\n".join([heading(meta), "", markdown_table(rows)])
    document = {
        "meta": meta,
        "figures": figures,
        "rows": [asdict(r) for r in rows],
        "summary": summary(rows),
    }
    return text, document

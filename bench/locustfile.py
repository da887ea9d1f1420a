"""Load for `make bench`, run by bench/run.py as `locust -f bench/locustfile.py --headless ...`.

Locust (and the gevent it brings) lives only in this process: it imports
nothing from Django or the project. Settings come from the environment:

    BENCH_SCENARIO      "ping" (the baseline view) or "autosave"
    BENCH_DATA          JSON from `bench.cli seed-load` (autosave: one started attempt per user)
    BENCH_PACING        seconds between one user's saves; 0 = as fast as the server answers
    BENCH_REVISION_BASE first revision number of this run (later runs start higher)
    BENCH_OUT           where to write this run's timings and, per candidate and question,
                        the last save the server confirmed (and one still in flight at the stop)

Every response time is kept (not locust's rounded buckets) so run.py can take
exact percentiles; the file is written when the test stops.
"""

import itertools
import json
import os
import random
import time
from http.cookies import SimpleCookie

import gevent
from locust import FastHttpUser, constant, events, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "ping")
PACING = float(os.environ.get("BENCH_PACING", "0"))
REVISION_BASE = int(os.environ.get("BENCH_REVISION_BASE", "1"))
OUT = os.environ.get("BENCH_OUT", "locust-out.json")
DATA = {}
if SCENARIO == "autosave":
    with open(os.environ["BENCH_DATA"]) as source:
        DATA = json.load(source)

_next_user = itertools.count()
_ready_users = itertools.count(1)
# Throughput and latency count only once every user is through on_start (the
# autosave users first load the question page, all 64 at once): from then on the
# load is the steady one measured. All response times are kept as well.
STEADY_FROM: list[float] = []
TIMINGS: dict[str, list[float]] = {}
BEGAN_AT: dict[str, list[float]] = {}
FAILURES: dict[str, list[str]] = {}
FINISHED_AT: dict[str, list[float]] = {}
# token -> position -> {"revision", "answer"}: the last save sent, and the last one the
# server confirmed. They differ only for a save still in flight when the run stopped.
SENT: dict[str, dict[int, dict]] = {}
ACKED: dict[str, dict[int, dict]] = {}


def _record(name: str, began: float, error: str | None) -> None:
    now = time.perf_counter()
    TIMINGS.setdefault(name, []).append((now - began) * 1000)
    BEGAN_AT.setdefault(name, []).append(began)
    FINISHED_AT.setdefault(name, []).append(now)
    if error:
        FAILURES.setdefault(name, []).append(error)


def _answer(kind: str, revision: int):
    # Shaped so the server stores exactly what was sent (see attempts._clean_answer).
    if kind == "multiple_choice":
        return [f"r{revision}"]
    return f"r{revision}"


def _paced(user) -> float:
    """Seconds until this user's next save: one every PACING s from its own moment.

    Not locust's constant_pacing: it counts from when the user was created,
    so its first wait undoes a pause taken in on_start and every user that
    was created at once saves in the same millisecond again (seen in make
    bench: all 64 saves of a second began within 0.1 s).
    """
    user.next_due += PACING
    return max(0.0, user.next_due - time.perf_counter())


class Candidate(FastHttpUser):
    wait_time = _paced if PACING else constant(0)

    def on_start(self):
        self.csrf = None
        try:
            if SCENARIO == "autosave":
                self._open_question_page()
                if PACING:
                    # Candidates pause when they like: without this, the 64 users who
                    # opened their pages together would save in lockstep, 64 saves in
                    # the same millisecond every second, which no cohort does.
                    self.next_due = time.perf_counter() + random.uniform(0, PACING)
                    gevent.sleep(self.next_due - time.perf_counter())
        finally:
            if next(_ready_users) == self.environment.parsed_options.num_users:
                STEADY_FROM.append(time.perf_counter())

    def _open_question_page(self):
        index = next(_next_user)
        users = DATA["autosave"]
        if index >= len(users):
            raise RuntimeError("More locust users than seeded candidates.")
        self.me = users[index]
        self.token = self.me["token"]
        self.revision = REVISION_BASE
        self.turn = 0
        # The browser opens the question page first; it sets the CSRF cookie.
        began = time.perf_counter()
        with self.client.get(
            f"/t/{self.token}/take/", name="take page", catch_response=True
        ) as response:
            cookie = SimpleCookie()
            for header, value in response.headers.items():
                if header.lower() == "set-cookie":
                    cookie.load(value)
            self.csrf = cookie["csrftoken"].value if "csrftoken" in cookie else None
            error = None if response.status_code == 200 and self.csrf else "no page or cookie"
            _record("take page", began, error)
            if error:
                response.failure(error)

    @task
    def work(self):
        if SCENARIO == "ping":
            self._ping()
        else:
            self._save()

    def _ping(self):
        began = time.perf_counter()
        with self.client.get("/t/-/ping/", name="ping", catch_response=True) as response:
            error = None if response.status_code == 200 else f"HTTP {response.status_code}"
            _record("ping", began, error)
            if error:
                response.failure(error)

    def _save(self):
        if not self.csrf:
            return
        item = self.me["items"][self.turn % len(self.me["items"])]
        self.turn += 1
        self.revision += 1
        position, answer = item["position"], _answer(item["type"], self.revision)
        SENT.setdefault(self.token, {})[position] = {"revision": self.revision, "answer": answer}
        began = time.perf_counter()
        with self.client.post(
            f"/t/{self.token}/save/",
            json={"position": position, "answer": answer, "revision": self.revision, "seconds": 0},
            headers={"X-CSRFToken": self.csrf, "Cookie": f"csrftoken={self.csrf}"},
            name="save",
            catch_response=True,
        ) as response:
            error = None
            if response.status_code != 200:
                error = f"HTTP {response.status_code}"
            else:
                try:
                    if not response.json().get("saved"):
                        error = "not saved"
                except ValueError:
                    error = "not JSON"
            _record("save", began, error)
            if error:
                response.failure(error)
            else:
                ACKED.setdefault(self.token, {})[position] = SENT[self.token][position]


def _throughput(name: str) -> float | None:
    """Requests/s from the moment every user was running to the last answer."""
    start = STEADY_FROM[0] if STEADY_FROM else min(FINISHED_AT[name])
    finished = [moment for moment in FINISHED_AT[name] if moment >= start]
    if len(finished) < 2:
        return None
    return len(finished) / (max(finished) - start)


def _steady(name: str) -> list[float]:
    """Response times of the requests sent once every user was running."""
    if not STEADY_FROM:
        return TIMINGS[name]
    return [
        ms
        for ms, began in zip(TIMINGS[name], BEGAN_AT[name], strict=True)
        if began >= STEADY_FROM[0]
    ]


@events.test_stop.add_listener
def _write(environment, **_kwargs):
    document = {
        "scenario": SCENARIO,
        "pacing_s": PACING,
        "requests": {
            name: {
                "timings_ms": TIMINGS[name],
                "steady_timings_ms": _steady(name),
                "rps": _throughput(name),
                "failures": len(FAILURES.get(name, [])),
                "errors": sorted(set(FAILURES.get(name, [])))[:5],
            }
            for name in TIMINGS
        },
        "acked": ACKED,
        "in_flight": {
            token: {p: sent for p, sent in positions.items() if sent != ACKED.get(token, {}).get(p)}
            for token, positions in SENT.items()
        },
    }
    with open(OUT, "w") as handle:
        json.dump(document, handle)

"""`make bench`: seed, serve with gunicorn, load with locust, measure, report.

    python -m bench.run                      # SQLite file under bench/results/
    DATABASE_URL=postgres://u@127.0.0.1:5432/x python -m bench.run
                                             # a dedicated database `yardstick_bench`
                                             # on that server, created and dropped here

Only 127.0.0.1 is ever loaded; every step has a time limit and the whole run
stays under five minutes on a 2-core machine. The table goes to stdout and,
with the raw figures, to bench/results/ (ignored by git).
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import client, report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCH_DATABASE = "yardstick_bench"
BUDGET_S = 285  # stop starting new steps past this; the issue allows 300


class Budget:
    def __init__(self, seconds: float):
        self.began = time.monotonic()
        self.seconds = seconds

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.began

    def left(self) -> float:
        return self.seconds - self.elapsed


def log(line: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The database


class Database:
    """The benchmark's own database: a fresh SQLite file, or `yardstick_bench` on PostgreSQL."""

    def __init__(self, url: str | None):
        self.given = url
        parts = urlsplit(url or "sqlite://")
        self.kind = "postgresql" if parts.scheme in ("postgres", "postgresql", "pgsql") else None
        if self.kind is None and parts.scheme not in ("sqlite", ""):
            raise SystemExit(f"make bench supports SQLite and PostgreSQL, not {parts.scheme}.")
        if self.kind is None:
            # Even with DATABASE_URL=sqlite:///... the benchmark never writes to that file.
            self.kind = "sqlite"
            self.path = RESULTS / "bench.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
                raise SystemExit("make bench only runs against a database on this machine.")
            self.parts = parts
            self.url = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = self.parts
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    def create(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            self._admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            self._admin(f"CREATE DATABASE {BENCH_DATABASE}")

    def drop(self) -> None:
        if self.kind == "postgresql":
            self._admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    def label(self) -> str:
        if self.kind == "sqlite":
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version} (WAL)"
        import psycopg

        parts = self.parts
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname=BENCH_DATABASE,
        ) as connection:
            version = connection.info.server_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"


# Processes


def environment(database: Database, port: int) -> dict:
    """Production settings (DEBUG off) on loopback, as README's Production section runs them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database.url,
        "DEBUG": "false",
        "SECRET_KEY": f"bench-{secrets.token_urlsafe(40)}",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "BENCH_STATIC_ROOT": str(RESULTS / "static"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CACHE_URL", None)
    return env


def run(command: list[str], env: dict, *, timeout: float, log_name: str) -> None:
    logfile = RESULTS / f"{log_name}.log"
    with logfile.open("w") as output:
        completed = subprocess.run(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, timeout=timeout
        )
    if completed.returncode != 0:
        tail = logfile.read_text()[-3000:]
        raise RuntimeError(f"{' '.join(command[:4])} failed (see {logfile}):\n{tail}")


def django(args: list[str], env: dict, *, timeout: float, log_name: str) -> None:
    run([sys.executable, *args], env, timeout=timeout, log_name=log_name)


class Gunicorn:
    def __init__(self, env: dict, port: int, workers: int):
        self.logfile = (RESULTS / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "recruiting.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.logfile.close()


def locust(
    *,
    env: dict,
    port: int,
    name: str,
    scenario: str,
    users: int,
    seconds: int,
    data: Path,
    pacing: float = 0.0,
    revision_base: int = 1,
) -> dict:
    out = RESULTS / f"locust-{name}.json"
    out.unlink(missing_ok=True)
    load_env = {
        # Locust's process gets nothing of Django's: only what the locustfile reads.
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "BENCH_SCENARIO": scenario,
        "BENCH_DATA": str(data),
        "BENCH_PACING": str(pacing),
        "BENCH_REVISION_BASE": str(revision_base),
        "BENCH_OUT": str(out),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(RESULTS / f"locust-{name}"),
        "--loglevel",
        "WARNING",
    ]
    logfile = RESULTS / f"locust-{name}.log"
    with logfile.open("w") as output:
        # Locust exits 1 when any request failed; the figures say which, so that is not fatal.
        subprocess.run(
            command,
            cwd=ROOT,
            env=load_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=seconds + 40,
        )
    if not out.exists():
        raise RuntimeError(f"locust wrote no results (see {logfile})")
    return json.loads(out.read_text())


def load_figures(document: dict, request_name: str) -> dict:
    entry = document["requests"].get(request_name)
    if not entry:
        return {"available": False, "reason": "no requests were made"}
    figures = report.latency_summary(
        entry.get("steady_timings_ms") or entry["timings_ms"], failures=entry["failures"]
    )
    figures.update(
        rps=entry["rps"],
        requests=len(entry["timings_ms"]),
        p99_all_ms=report.percentile(entry["timings_ms"], 99),
    )
    figures["errors"] = entry["errors"]
    return figures


def merge_sent(total: dict, document: dict) -> None:
    """Fold one autosave run into token -> position -> the last confirmed save, plus any
    save left in flight when a run stopped (see measure.integrity_check)."""

    def entry(token, position):
        blank = {"revision": 0, "answer": None, "in_flight": []}
        return total.setdefault(token, {}).setdefault(str(position), blank)

    for token, positions in document["acked"].items():
        for position, acked in positions.items():
            current = entry(token, position)
            if acked["revision"] > current["revision"]:
                current.update(acked)
    for token, positions in document["in_flight"].items():
        for position, sent in positions.items():
            entry(token, position)["in_flight"].append(sent)


# Machine


def cpu_times() -> list[int]:
    """The aggregate line of /proc/stat: user nice system idle iowait irq softirq steal ..."""
    try:
        return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return []


def steal_share(before: list[int], after: list[int]) -> float | None:
    """Share of CPU time the hypervisor gave to other machines between two readings."""
    if len(before) < 8 or len(after) < 8:
        return None
    total = sum(after[:8]) - sum(before[:8])
    return (after[7] - before[7]) / total if total else None


def machine(database: Database, workers: int) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = round(kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        memory = None
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": round(os.getloadavg()[0], 1),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": memory,
        "python": platform.python_version(),
        "database": database.kind,
        "workers": workers,
    }


# The run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--users", type=int, default=64, help="simulated candidates saving")
    parser.add_argument("--seconds", type=int, default=20, help="length of each locust run")
    parser.add_argument("--pacing", type=float, default=1.0, help="seconds between saves, paced")
    parser.add_argument("--burst", type=int, default=200, help="candidates pressing Start")
    parser.add_argument("--sizes", default="100,1000,10000", help="completed attempts")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench database")
    args = parser.parse_args(argv)

    missing = [name for name in ("gunicorn", "locust") if find_spec(name) is None]
    if missing:
        print(f"Missing {', '.join(missing)}: run `make bench` (requirements-bench.txt).")
        return 2
    budget = Budget(BUDGET_S)
    cpu_before = cpu_times()
    RESULTS.mkdir(parents=True, exist_ok=True)
    database = Database(os.environ.get("DATABASE_URL") or None)
    workers = 2 * (os.cpu_count() or 1)
    port = free_port()
    env = environment(database, port)
    figures = {
        "database": database.kind,
        "users": args.users,
        "pacing_s": args.pacing,
    }
    meta = machine(database, workers)
    server = collect = None
    try:
        log(f"database: {database.kind}; fresh {database.url.rsplit('/', 1)[-1]}")
        database.create()
        meta["database_label"] = database.label()
        # collectstatic needs no database: it compresses files while the schema is built.
        shutil.rmtree(RESULTS / "static", ignore_errors=True)
        static_log = (RESULTS / "collectstatic.log").open("w")
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT, env=env, stdout=static_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        django(["manage.py", "migrate", "--noinput"], env, timeout=120, log_name="migrate")
        log("migrated; loading the library")
        django(["manage.py", "load_library"], env, timeout=120, log_name="load_library")
        if collect.wait(timeout=120) != 0:
            raise RuntimeError(f"collectstatic failed (see {RESULTS / 'collectstatic.log'})")
        static_log.close()
        log("library loaded, static collected; seeding the load-test candidates")
        data = RESULTS / "seed-load.json"
        django(
            [
                "-m",
                "bench.cli",
                "seed-load",
                "--autosave",
                str(args.users),
                "--burst",
                str(args.burst),
                "--out",
                str(data),
            ],
            env,
            timeout=120,
            log_name="seed-load",
        )
        seeded = json.loads(data.read_text())

        server = Gunicorn(env, port, workers)
        if not client.wait_until_up(port):
            raise RuntimeError(f"gunicorn did not answer (see {RESULTS / 'gunicorn.log'})")
        log(f"gunicorn up on 127.0.0.1:{port} with {workers} workers")

        take_path = f"/t/{seeded['autosave'][0]['token']}/take/"
        figures["page_weight"] = client.page_weight(port=port, path=take_path)

        sent: dict = {}
        log(f"locust: baseline ping, {args.users} users, {args.seconds} s")
        ping = locust(
            env=env, port=port, name="ping", scenario="ping", users=args.users,
            seconds=args.seconds, data=data,
        )  # fmt: skip
        figures["baseline"] = load_figures(ping, "ping")
        log(f"locust: autosave, {args.users} users, no wait, {args.seconds} s")
        saturated = locust(
            env=env, port=port, name="autosave", scenario="autosave", users=args.users,
            seconds=args.seconds, data=data, revision_base=1,
        )  # fmt: skip
        figures["autosave"] = load_figures(saturated, "save")
        merge_sent(sent, saturated)
        log(f"locust: autosave, {args.users} users saving every {args.pacing:g} s")
        paced = locust(
            env=env, port=port, name="autosave-paced", scenario="autosave", users=args.users,
            seconds=args.seconds, data=data, pacing=args.pacing, revision_base=1_000_000,
        )  # fmt: skip
        figures["autosave_paced"] = load_figures(paced, "save")
        figures["take_page"] = load_figures(paced, "take page")
        merge_sent(sent, paced)

        log(f"start burst: {args.burst} candidates within 1 s")
        figures["start_burst"] = client.start_burst(port=port, tokens=seeded["burst"])
        server.stop()
        server = None

        expected = RESULTS / "revisions-sent.json"
        expected.write_text(json.dumps(sent))
        checked = RESULTS / "integrity.json"
        django(
            ["-m", "bench.cli", "integrity", "--expected", str(expected), "--burst", str(data),
             "--out", str(checked)],
            env, timeout=60, log_name="integrity",
        )  # fmt: skip
        outcome = json.loads(checked.read_text())
        figures["integrity"] = outcome["integrity"]
        figures["start_burst"]["attempts_created"] = outcome["burst_attempts"]["attempts"]

        left = budget.left() - 15
        log(f"recruiter pages and statistics ({left:.0f} s left in the budget)")
        recruiter = RESULTS / "recruiter.json"
        try:
            django(
                ["-m", "bench.cli", "recruiter", "--sizes", args.sizes, "--out", str(recruiter)],
                env, timeout=max(30, left), log_name="recruiter",
            )  # fmt: skip
            measured = json.loads(recruiter.read_text())
            figures["pages"] = measured["pages"]
            figures["statistics"] = measured["statistics"]
        except subprocess.TimeoutExpired:
            reason = "skipped: the five-minute budget ran out"
            figures["pages"] = {"available": False, "reason": reason}
            figures["statistics"] = {"available": False, "reason": reason}
    finally:
        if collect is not None and collect.poll() is None:
            collect.kill()
        if server is not None:
            server.stop()
        if not args.keep:
            try:
                database.drop()
            except Exception as error:  # report, but never hide the run's own outcome
                log(f"could not drop {BENCH_DATABASE}: {error}")

    meta["elapsed_s"] = budget.elapsed
    meta["load_after"] = round(os.getloadavg()[0], 1)
    steal = steal_share(cpu_before, cpu_times())
    meta["cpu_steal"] = None if steal is None else round(steal, 3)
    text, document = report.report(figures, meta)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{database.kind}-{stamp}", f"latest-{database.kind}"):
        (RESULTS / f"{name}.json").write_text(json.dumps(document, indent=2, default=str))
    (RESULTS / f"latest-{database.kind}.md").write_text(text + "\n")
    print(text)
    totals = document["summary"]
    print(
        f"\n{totals['met']} met, {totals['not_met']} not met, "
        f"{totals['unavailable']} not yet available. JSON: {RESULTS}/latest-{database.kind}.json"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

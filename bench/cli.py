"""The Django side of the benchmark, run by bench/run.py as separate processes.

    python -m bench.cli seed-load --autosave 64 --burst 200 --out data.json
    python -m bench.cli integrity --expected revisions.json --burst data.json --out out.json
    python -m bench.cli recruiter --sizes 100,1000,10000 --out out.json

Settings come from the environment (DJANGO_SETTINGS_MODULE=bench.settings and
DATABASE_URL, set by run.py). Each command writes its figures as JSON.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path


def _write(path: str, data: dict) -> None:
    Path(path).write_text(json.dumps(data, indent=2, default=str))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("seed-load")
    load.add_argument("--autosave", type=int, required=True)
    load.add_argument("--burst", type=int, required=True)
    load.add_argument("--out", required=True)
    check = commands.add_parser("integrity")
    check.add_argument("--expected", required=True)
    check.add_argument("--burst", required=True, help="the seed-load output")
    check.add_argument("--out", required=True)
    pages = commands.add_parser("recruiter")
    pages.add_argument("--sizes", required=True)
    pages.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench import measure, seed

    if args.command == "seed-load":
        _write(args.out, seed.seed_load(autosave_users=args.autosave, burst_users=args.burst))
    elif args.command == "integrity":
        expected = json.loads(Path(args.expected).read_text())
        tokens = json.loads(Path(args.burst).read_text())["burst"]
        _write(
            args.out,
            {
                "integrity": measure.integrity_check(expected=expected),
                "burst_attempts": measure.started_count(tokens=tokens),
            },
        )
    elif args.command == "recruiter":
        sizes = [int(size) for size in args.sizes.split(",")]
        began = time.perf_counter()
        pages, _workspace = measure.recruiter_pages(sizes=sizes, log=_log)
        _log(f"  recruiter pages done in {time.perf_counter() - began:.1f} s")
        statistics = measure.question_statistics()
        _write(args.out, {"pages": pages, "statistics": statistics})
    return 0


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

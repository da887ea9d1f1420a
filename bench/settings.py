"""Production settings with two changes, both about static files.

recruiting.settings fixes STATIC_ROOT at var/staticfiles, which a developer's
own server may be using; the benchmark collects into its own ignored folder
instead, gzip only as production does (see bench/storage.py). Everything else
(DEBUG off, the security middleware, the database options) comes from the
environment exactly as in production.
"""

import os
from pathlib import Path

from recruiting.settings import *  # noqa: F403

STATIC_ROOT = Path(
    os.environ.get("BENCH_STATIC_ROOT", str(BASE_DIR / "bench" / "results" / "static"))  # noqa: F405
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "bench.storage.GzipManifestStaticFilesStorage"},
}

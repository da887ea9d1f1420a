"""Production settings pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-for-the-deploy-check-" + "x9Q2vLm7" * 6,
    "ALLOWED_HOSTS": "yardstick.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://yardstick.example.com",
}


def _manage(*args, env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a server never has it.
    unwanted = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean["DJANGO_SETTINGS_MODULE"] = "recruiting.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warnings_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_malformed_boolean_is_refused_loudly():
    result = _manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_connection_health_checks_are_off_unless_asked_for():
    show = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    assert _manage("shell", "--no-imports", "-c", show, env={}).stdout.strip() == "False"
    turned_on = _manage("shell", "--no-imports", "-c", show, env={"DB_HEALTH_CHECKS": "true"})
    assert turned_on.stdout.strip() == "True", turned_on.stderr

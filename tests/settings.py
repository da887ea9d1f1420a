"""Fast settings for the test suite: cheap hashing, in-memory email, tasks run inline."""

from recruiting.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The manifest needs `collectstatic`; tests use plain storage and serve from the finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# Tests get an in-memory test database; should anything reach the configured
# database outside a test (a module-scoped fixture, say), it lands in a scratch
# file rather than the developer's data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["NAME"] = str(BASE_DIR / "var" / "tests-scratch.sqlite3")  # noqa: F405

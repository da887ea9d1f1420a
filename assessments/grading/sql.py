"""sql questions: the candidate's query must return the same rows as the reference query.

Key: ``"setup_sql": "CREATE TABLE ...; INSERT ...;", "reference_query": "SELECT ...",
"order_matters": false``. Callers resolve the question's ``dataset`` to its setup SQL. Both
queries run in the sandbox (see sandbox.py); results are compared with compare_results.
"""

from __future__ import annotations

from typing import Any

from . import INVALID_KEY, NO_ANSWER, Grade, key_points, register
from .sandbox import MAX_ROWS, QueryResult, compare_results, run_query

WRONG_ORDER = "Your query returned the right rows in the wrong order."
DIFFERENT_ROWS = "Your query ran but returned different rows."


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _mismatch_feedback(candidate: QueryResult, reference: QueryResult, *, order: bool) -> str:
    """Why a query that ran did not match; never reveals the expected values."""
    got, expected = len(candidate.columns), len(reference.columns)
    if got != expected:
        return f"Your query returned {_plural(got, 'column')}, expected {expected:,}."
    expected_rows = f"{len(reference.rows):,}"
    if candidate.truncated:
        limit = _plural(MAX_ROWS, "row")
        return f"Your query returned more than {limit}, expected {expected_rows}."
    if len(candidate.rows) != len(reference.rows):
        got_rows = _plural(len(candidate.rows), "row")
        return f"Your query ran but returned different rows ({got_rows}, expected {expected_rows})."
    if order and compare_results(candidate, reference, order_matters=False):
        return WRONG_ORDER
    return DIFFERENT_ROWS


def _key_texts(key: dict) -> tuple[str, str] | None:
    setup, reference = key.get("setup_sql", ""), key.get("reference_query")
    if setup is None:
        setup = ""
    if not isinstance(setup, str) or not isinstance(reference, str) or not reference.strip():
        return None
    return setup, reference


def _order_matters(key: dict) -> bool:
    return key.get("order_matters") is True


def validate_key(key: dict) -> list[str]:
    """Errors for an sql key: the reference query must run and return 1..MAX_ROWS rows."""
    errors: list[str] = []
    if not isinstance(key.get("setup_sql", ""), str | type(None)):
        errors.append("The setup SQL must be text.")
    reference = key.get("reference_query")
    if not isinstance(reference, str) or not reference.strip():
        errors.append("Add a reference query.")
    if not isinstance(key.get("order_matters", False), bool):
        errors.append("'order_matters' must be true or false.")
    texts = _key_texts(key)
    if errors or texts is None:
        return errors
    result = run_query(*texts)
    if result.error is not None:
        errors.append(f"The reference query fails: {result.error}")
    elif result.truncated:
        errors.append(f"The reference query returns more than {MAX_ROWS:,} rows.")
    elif not result.rows:
        errors.append("The reference query returns no rows.")
    return errors


def grade(key: dict, answer: Any) -> Grade:
    """Full points when the candidate's rows equal the reference rows, else 0 with a reason."""
    maximum = key_points(key)
    texts = _key_texts(key)
    if texts is None:
        return Grade(0.0, maximum, INVALID_KEY)
    if isinstance(answer, bytes):
        try:
            answer = answer.decode("utf-8")
        except UnicodeDecodeError:
            answer = None
    if not isinstance(answer, str) or not answer.strip():
        return Grade(0.0, maximum, NO_ANSWER)
    setup, reference_query = texts
    reference = run_query(setup, reference_query)
    if reference.error is not None or reference.truncated:
        return Grade(0.0, maximum, INVALID_KEY)
    candidate = run_query(setup, answer)
    if candidate.error is not None:
        return Grade(0.0, maximum, candidate.error)
    order = _order_matters(key)
    if compare_results(candidate, reference, order_matters=order):
        return Grade(maximum, maximum)
    return Grade(0.0, maximum, _mismatch_feedback(candidate, reference, order=order))


def reference_answer(key: dict) -> str | None:
    """The reference query."""
    texts = _key_texts(key)
    return texts[1] if texts else None


register("sql", grade=grade, validate_key=validate_key, reference_answer=reference_answer)

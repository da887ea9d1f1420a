"""Grading of Yardstick questions: pure Python, importable without Django.

A question's *key* is a dict with at least ``"type"`` and ``"points"`` (see
docs/question-format.md); the candidate's *answer* can be any value. Public contract:

- ``grade(key, answer) -> Grade`` never raises and always returns
  ``0 <= points <= max_points`` with ``max_points`` equal to the key's points (0 when the key's
  points are unusable).
- ``validate_key(key) -> list[str]`` never raises; an empty list means the key is valid.
- ``reference_answer(key)`` returns an answer that earns full marks for a valid key, or None
  (free_text, invalid keys).

Adding a question type: write a module that defines grade/validate_key/reference_answer and
calls ``register(...)``, then import it at the bottom of this file.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

NO_ANSWER = "No answer given."
INVALID_KEY = "This question cannot be graded automatically because its answer key is invalid."
UNKNOWN_TYPE = "This question type cannot be graded."


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one answer; pending means it waits for a manual review."""

    points: float
    max_points: float
    feedback: str = ""
    pending: bool = False


@dataclass(frozen=True)
class GraderType:
    """The three functions a question type provides."""

    name: str
    grade: Callable[[dict, Any], Grade]
    validate_key: Callable[[dict], list[str]]
    reference_answer: Callable[[dict], Any]


#: Registered question types by name, in registration order.
REGISTRY: dict[str, GraderType] = {}


def register(
    type_name: str,
    *,
    grade: Callable[[dict, Any], Grade],
    validate_key: Callable[[dict], list[str]],
    reference_answer: Callable[[dict], Any],
) -> GraderType:
    """Register a question type; registering the same name twice is an error."""
    if type_name in REGISTRY:
        raise ValueError(f"Question type {type_name!r} is already registered.")
    grader = GraderType(type_name, grade, validate_key, reference_answer)
    REGISTRY[type_name] = grader
    return grader


def is_number(value: object) -> bool:
    """True for finite int/float/Decimal values (bool excluded)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    try:
        return math.isfinite(value)
    except (OverflowError, ValueError):  # huge ints convert to float badly
        return isinstance(value, int)


def key_points(key: object) -> float:
    """The key's points as a float, or 0.0 when missing or not a positive finite number."""
    if not isinstance(key, dict):
        return 0.0
    points = key.get("points")
    if not is_number(points):
        return 0.0
    try:
        value = float(points)
    except (OverflowError, ValueError):
        return 0.0
    return value if value > 0 and math.isfinite(value) else 0.0


def _lookup(key: object) -> GraderType | None:
    if not isinstance(key, dict):
        return None
    type_name = key.get("type")
    return REGISTRY.get(type_name) if isinstance(type_name, str) else None


def _clamped(result: object, maximum: float) -> Grade:
    if not isinstance(result, Grade):
        return Grade(0.0, maximum, INVALID_KEY)
    try:
        points = float(result.points)
    except (TypeError, ValueError, OverflowError):
        points = 0.0
    if not math.isfinite(points):
        points = 0.0
    points = min(max(points, 0.0), maximum)
    feedback = result.feedback if isinstance(result.feedback, str) else ""
    return Grade(points, maximum, feedback, bool(result.pending))


def grade(key: dict, answer: Any) -> Grade:
    """Grade answer against key. Never raises; see the module docstring for guarantees."""
    maximum = key_points(key)
    grader = _lookup(key)
    if grader is None:
        return Grade(0.0, maximum, UNKNOWN_TYPE if isinstance(key, dict) else INVALID_KEY)
    if maximum <= 0:
        return Grade(0.0, maximum, INVALID_KEY)
    try:
        result = grader.grade(key, answer)
    except Exception:  # a broken key or odd answer must not break a page
        return Grade(0.0, maximum, INVALID_KEY)
    return _clamped(result, maximum)


def validate_key(key: dict) -> list[str]:
    """Human-readable problems with key; empty when valid. Never raises."""
    if not isinstance(key, dict):
        return ["The answer key must be an object."]
    errors: list[str] = []
    type_name = key.get("type")
    grader = _lookup(key)
    if grader is None:
        known = ", ".join(REGISTRY)
        errors.append(f"Unknown question type {type_name!r}; expected one of: {known}.")
    if not key_points(key):
        errors.append("Points must be a number greater than 0.")
    if grader is not None:
        try:
            errors.extend(grader.validate_key(key))
        except Exception as exc:
            errors.append(f"The answer key could not be checked ({type(exc).__name__}).")
    return errors


def reference_answer(key: dict) -> Any:
    """An answer earning full marks for a valid key; None for free_text or an invalid key."""
    grader = _lookup(key)
    if grader is None:
        return None
    try:
        return grader.reference_answer(key)
    except Exception:
        return None


# Question types register themselves on import; one line per type.
from . import choice, free_text, numeric, short_answer, sql  # noqa: E402, F401
from .free_text import grade_rubric  # noqa: E402

#: Names of all registered question types.
GRADER_TYPES: tuple[str, ...] = tuple(REGISTRY)

__all__ = [
    "GRADER_TYPES",
    "INVALID_KEY",
    "NO_ANSWER",
    "REGISTRY",
    "UNKNOWN_TYPE",
    "Grade",
    "GraderType",
    "grade",
    "grade_rubric",
    "is_number",
    "key_points",
    "reference_answer",
    "register",
    "validate_key",
]

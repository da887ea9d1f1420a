"""numeric questions: the answer must be within an absolute tolerance of the key's value.

Key: ``"value": 42, "tolerance": 0``. Answers may be int, float, Decimal or text. Text accepts
an optional sign, digits grouped in thousands with ",", " " or "_" ("1,000,000", "1 000",
"1_000", one separator kind per number), a "." decimal part and an exponent ("1.5e3");
full-width digits and the Unicode minus sign are normalised first. NaN, infinity and anything
else score 0 with NOT_A_NUMBER as feedback.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from . import INVALID_KEY, NO_ANSWER, Grade, is_number, key_points, register

NOT_A_NUMBER = "Enter a number, for example 42 or 1,000.5."
MAX_NUMBER_LENGTH = 100
#: Relative slack on top of the tolerance, for floating-point error in keys and answers.
RELATIVE_EPSILON = Decimal("1e-12")

_NUMBER = re.compile(
    r"""
    [+-]?
    (?:
        (?: \d{1,3}(?:,\d{3})+ | \d{1,3}(?:\ \d{3})+ | \d{1,3}(?:_\d{3})+ | \d+ ) (?:\.\d*)?
      | \.\d+
    )
    (?:[eE][+-]?\d+)?
    """,
    re.VERBOSE | re.ASCII,
)


def _decimal(value: object) -> Decimal | None:
    """A finite Decimal for a number (not bool), else None. Floats keep their shortest repr."""
    if not is_number(value):
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    result = Decimal(value)  # type: ignore[arg-type]
    return result if _float_finite(result) else None


def _float_finite(value: Decimal) -> bool:
    # Refuse magnitudes a float cannot hold: they are typos, and they keep arithmetic cheap.
    return value.is_finite() and abs(float(value)) != float("inf")


def parse_number(answer: Any) -> Decimal | None:
    """The answer as a finite Decimal, or None when it is not a number in an accepted form."""
    if isinstance(answer, str):
        if len(answer) > MAX_NUMBER_LENGTH * 4:
            return None
        text = unicodedata.normalize("NFKC", answer).replace("\u2212", "-").strip()
        if len(text) > MAX_NUMBER_LENGTH or not _NUMBER.fullmatch(text):
            return None
        try:
            result = Decimal(text.replace(",", "").replace(" ", "").replace("_", ""))
        except (InvalidOperation, ValueError):
            return None
        return result if _float_finite(result) else None
    try:
        return _decimal(answer)
    except (InvalidOperation, ValueError, OverflowError, TypeError):
        return None


def _within(answer: Decimal, value: Decimal, tolerance: Decimal) -> bool:
    with localcontext() as context:
        context.prec = 60
        slack = tolerance + RELATIVE_EPSILON * max(Decimal(1), abs(value))
        return abs(answer - value) <= slack


def _key_numbers(key: dict) -> tuple[Decimal, Decimal] | None:
    value = _decimal(key.get("value"))
    tolerance = _decimal(key.get("tolerance", 0))
    if value is None or tolerance is None or tolerance < 0:
        return None
    return value, tolerance


def validate_key(key: dict) -> list[str]:
    """Errors for a numeric key: a finite value and a tolerance >= 0."""
    errors: list[str] = []
    try:
        value = _decimal(key.get("value"))
    except (InvalidOperation, ValueError, OverflowError):
        value = None
    if value is None:
        errors.append("The value must be a finite number.")
    try:
        tolerance = _decimal(key.get("tolerance", 0))
    except (InvalidOperation, ValueError, OverflowError):
        tolerance = None
    if tolerance is None or tolerance < 0:
        errors.append("The tolerance must be a number greater than or equal to 0.")
    return errors


def grade(key: dict, answer: Any) -> Grade:
    """Full points when |answer - value| <= tolerance (plus a tiny epsilon), else 0."""
    maximum = key_points(key)
    numbers = _key_numbers(key)
    if numbers is None:
        return Grade(0.0, maximum, INVALID_KEY)
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Grade(0.0, maximum, NO_ANSWER)
    parsed = parse_number(answer)
    if parsed is None:
        return Grade(0.0, maximum, NOT_A_NUMBER)
    value, tolerance = numbers
    return Grade(maximum if _within(parsed, value, tolerance) else 0.0, maximum)


def reference_answer(key: dict) -> Any:
    """The key's value itself."""
    return key.get("value")


register("numeric", grade=grade, validate_key=validate_key, reference_answer=reference_answer)

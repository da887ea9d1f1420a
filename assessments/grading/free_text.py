"""free_text questions: graded by a reviewer against a rubric.

Key: ``"rubric": [{"criterion": "...", "points": 2}]`` whose points sum to the key's points.
``grade`` marks a non-blank answer as pending; ``grade_rubric`` turns a reviewer's scores
(criterion index -> points) into the final grade.
"""

from __future__ import annotations

import math
from typing import Any

from . import INVALID_KEY, NO_ANSWER, Grade, is_number, key_points, register

AWAITING_REVIEW = "Waiting for a reviewer to grade this answer."
NEEDS_CRITERION = "Add at least one rubric criterion."


def _rubric(key: dict) -> list[tuple[str, float]]:
    """(criterion, points) pairs; raises ValueError for a malformed rubric."""
    raw = key.get("rubric")
    if not isinstance(raw, list):
        raise ValueError("rubric must be a list")
    pairs = []
    for item in raw:
        if not isinstance(item, dict) or not is_number(item.get("points")):
            raise ValueError("rubric items need numeric points")
        pairs.append((str(item.get("criterion", "")).strip(), float(item["points"])))
    return pairs


def validate_key(key: dict) -> list[str]:
    """Errors: >= 1 criterion, each with text and points > 0, summing to the key's points."""
    raw = key.get("rubric")
    if not isinstance(raw, list) or not raw:
        return [NEEDS_CRITERION]
    errors: list[str] = []
    total = 0.0
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            errors.append(f"Rubric criterion {number} must be an object.")
            continue
        criterion = item.get("criterion")
        if not isinstance(criterion, str) or not criterion.strip():
            errors.append(f"Rubric criterion {number} needs a description.")
        points = item.get("points")
        if not is_number(points) or not 0 < float(points) < math.inf:
            errors.append(f"Rubric criterion {number} needs points greater than 0.")
        else:
            total += float(points)
    expected = key_points(key)
    if not errors and expected and not math.isclose(total, expected, abs_tol=1e-9):
        errors.append(
            f"The rubric points add up to {total:g}, but the question is worth {expected:g}."
        )
    return errors


def _text(answer: Any) -> str | None:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, bytes):
        try:
            return answer.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def grade(key: dict, answer: Any) -> Grade:
    """0 points and pending for a non-blank text answer; 0, not pending, for a blank one."""
    maximum = key_points(key)
    text = _text(answer)
    if text is None or not text.strip():
        return Grade(0.0, maximum, NO_ANSWER)
    return Grade(0.0, maximum, AWAITING_REVIEW, pending=True)


def _score(value: Any) -> float:
    if not is_number(value):
        return 0.0
    try:
        score = float(value)
    except (OverflowError, ValueError):
        return 0.0
    return score if math.isfinite(score) else 0.0


def _index(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdecimal() and len(raw) < 10:
        return int(raw.strip())
    return None


def grade_rubric(key: dict, scores: dict[int, float]) -> Grade:
    """Sum the reviewer's scores by criterion index, each clamped to [0, criterion points].

    Indexes may be ints or digit strings (as stored in JSON); unknown indexes and non-numeric
    scores count as 0. Never raises; an invalid key gives 0 points with INVALID_KEY.
    """
    maximum = key_points(key)
    try:
        if not isinstance(key, dict) or validate_key(key):
            return Grade(0.0, maximum, INVALID_KEY)
        rubric = _rubric(key)
        awarded = [0.0] * len(rubric)
        for raw_index, raw_score in scores.items() if isinstance(scores, dict) else ():
            index = _index(raw_index)
            if index is not None and 0 <= index < len(rubric):
                awarded[index] = min(max(_score(raw_score), 0.0), rubric[index][1])
    except Exception:
        return Grade(0.0, maximum, INVALID_KEY)
    lines = [
        f"{criterion}: {got:g}/{possible:g}"
        for (criterion, possible), got in zip(rubric, awarded, strict=True)
    ]
    return Grade(min(sum(awarded), maximum), maximum, "\n".join(lines))


def reference_answer(key: dict) -> None:
    """None: free text has no automatic answer."""
    return None


register("free_text", grade=grade, validate_key=validate_key, reference_answer=reference_answer)

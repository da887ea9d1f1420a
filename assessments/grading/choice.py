"""single_choice, multiple_choice and true_false questions.

Key: ``"choices": [{"id": "12", "text": "...", "correct": bool, "feedback": "..."}]``. A choice
without an id is identified by its position ("0", "1", ...). Answers are choice ids: one id
(str or int) for single_choice/true_false; a list of ids for multiple_choice (a single id or a
comma-separated string is accepted too).

Multiple choice partial credit: share = correct picks / correct choices - wrong picks / wrong
choices (no penalty term when the key has no wrong choices), clamped to [0, 1]. Unknown ids
count as wrong picks; duplicated ids count once.
"""

from __future__ import annotations

from typing import Any

from . import INVALID_KEY, NO_ANSWER, Grade, key_points, register

NEEDS_TWO_CHOICES = "Add at least two choices."
NEEDS_ONE_CORRECT = "Mark exactly one choice as correct."
NEEDS_SOME_CORRECT = "Mark at least one choice as correct."
TRUE_FALSE_TWO_CHOICES = "A true/false question has exactly two choices."

_ANSWER_ID_MAX_LENGTH = 200
_MAX_PICKS = 1_000


def _choice_id(choice: dict, index: int) -> str:
    raw = choice.get("id")
    return str(index) if raw is None or isinstance(raw, bool) else str(raw).strip()


def _choices(key: dict) -> list[tuple[str, dict]]:
    """(id, choice) pairs; raises ValueError when the key has no usable choice list."""
    raw = key.get("choices")
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise ValueError("choices must be a list of objects")
    return [(_choice_id(c, i), c) for i, c in enumerate(raw)]


def _is_correct(choice: dict) -> bool:
    return choice.get("correct") is True


def _structure_errors(key: dict) -> list[str]:
    raw = key.get("choices")
    if not isinstance(raw, list):
        return ["Choices must be a list."]
    errors: list[str] = []
    if len(raw) < 2:
        errors.append(NEEDS_TWO_CHOICES)
    seen_texts: set[str] = set()
    seen_ids: set[str] = set()
    for number, choice in enumerate(raw, start=1):
        if not isinstance(choice, dict):
            errors.append(f"Choice {number} must be an object.")
            continue
        text = choice.get("text")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"Choice {number} needs a text.")
        else:
            folded = " ".join(text.split()).casefold()
            if folded in seen_texts:
                errors.append(f"Choice {number} repeats the text of another choice.")
            seen_texts.add(folded)
        if not isinstance(choice.get("correct", False), bool):
            errors.append(f"Choice {number}: 'correct' must be true or false.")
        feedback = choice.get("feedback", "")
        if feedback is not None and not isinstance(feedback, str):
            errors.append(f"Choice {number}: feedback must be text.")
        choice_id = _choice_id(choice, number - 1)
        if not choice_id:
            errors.append(f"Choice {number} has an empty id.")
        elif choice_id in seen_ids:
            errors.append(f"Choice {number} repeats the id of another choice.")
        seen_ids.add(choice_id)
    return errors


def _correct_count(key: dict) -> int:
    raw = key.get("choices")
    if not isinstance(raw, list):
        return 0
    return sum(1 for c in raw if isinstance(c, dict) and _is_correct(c))


def validate_single_choice(key: dict) -> list[str]:
    """Errors for a single_choice key: >= 2 choices, exactly one correct, distinct texts."""
    errors = _structure_errors(key)
    if isinstance(key.get("choices"), list) and _correct_count(key) != 1:
        errors.append(NEEDS_ONE_CORRECT)
    return errors


def validate_true_false(key: dict) -> list[str]:
    """Errors for a true_false key: exactly two choices, exactly one correct."""
    errors = validate_single_choice(key)
    raw = key.get("choices")
    if isinstance(raw, list) and len(raw) != 2:
        errors.append(TRUE_FALSE_TWO_CHOICES)
    return errors


def validate_multiple_choice(key: dict) -> list[str]:
    """Errors for a multiple_choice key: >= 2 choices, at least one correct, distinct texts."""
    errors = _structure_errors(key)
    if isinstance(key.get("choices"), list) and _correct_count(key) < 1:
        errors.append(NEEDS_SOME_CORRECT)
    return errors


def _single_id(answer: Any) -> str | None:
    """The picked id, or None when nothing usable was given."""
    if isinstance(answer, list | tuple) and len(answer) == 1:
        answer = answer[0]
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int):
        # str() of a huge int raises ValueError (int max_str_digits); no id is that long.
        return str(answer) if abs(answer) < 10**_ANSWER_ID_MAX_LENGTH else None
    if isinstance(answer, str):
        picked = answer.strip()
        return picked[:_ANSWER_ID_MAX_LENGTH] if picked else None
    return None


def _picked_ids(answer: Any) -> list[str]:
    """Distinct picked ids in answer order; non-id items are ignored."""
    if isinstance(answer, str):
        items: list[Any] = answer.split(",", _MAX_PICKS)
    elif isinstance(answer, list | tuple):
        items = list(answer[:_MAX_PICKS])
    elif isinstance(answer, set | frozenset):
        items = sorted(answer, key=lambda item: item if isinstance(item, str) else "")
        items = items[:_MAX_PICKS]
    else:
        items = [answer]
    picked: dict[str, None] = {}
    for item in items:
        choice_id = _single_id(item) if not isinstance(item, list | tuple) else None
        if choice_id is not None:
            picked[choice_id] = None
    return list(picked)


def _feedback(choices: list[tuple[str, dict]], picked: list[str]) -> str:
    by_id = dict(choices)
    parts = []
    for choice_id in picked:
        text = by_id.get(choice_id, {}).get("feedback")
        if isinstance(text, str) and text.strip():
            parts.append(text.strip())
    return "\n".join(parts)


def grade_single_choice(key: dict, answer: Any) -> Grade:
    """Full points when the picked id is the correct choice, else 0."""
    maximum = key_points(key)
    if validate_single_choice(key):
        return Grade(0.0, maximum, INVALID_KEY)
    choices = _choices(key)
    picked = _single_id(answer)
    if picked is None:
        return Grade(0.0, maximum, NO_ANSWER)
    right = any(cid == picked and _is_correct(c) for cid, c in choices)
    return Grade(maximum if right else 0.0, maximum, _feedback(choices, [picked]))


def grade_true_false(key: dict, answer: Any) -> Grade:
    """Like single_choice, for a key with exactly two choices."""
    if validate_true_false(key):
        return Grade(0.0, key_points(key), INVALID_KEY)
    return grade_single_choice(key, answer)


def grade_multiple_choice(key: dict, answer: Any) -> Grade:
    """Partial credit: see the module docstring. Never below 0 or above the key's points."""
    maximum = key_points(key)
    if validate_multiple_choice(key):
        return Grade(0.0, maximum, INVALID_KEY)
    choices = _choices(key)
    picked = _picked_ids(answer)
    if not picked:
        return Grade(0.0, maximum, NO_ANSWER)
    correct_ids = {cid for cid, c in choices if _is_correct(c)}
    wrong_total = len(choices) - len(correct_ids)
    right_picks = sum(1 for cid in picked if cid in correct_ids)
    wrong_picks = len(picked) - right_picks
    share = right_picks / len(correct_ids)
    if wrong_total:
        share -= wrong_picks / wrong_total
    share = min(max(share, 0.0), 1.0)
    return Grade(share * maximum, maximum, _feedback(choices, picked))


def reference_single_choice(key: dict) -> str | None:
    """The id of the (first) correct choice."""
    for choice_id, choice in _choices(key):
        if _is_correct(choice):
            return choice_id
    return None


def reference_multiple_choice(key: dict) -> list[str]:
    """The ids of all correct choices."""
    return [choice_id for choice_id, choice in _choices(key) if _is_correct(choice)]


register(
    "single_choice",
    grade=grade_single_choice,
    validate_key=validate_single_choice,
    reference_answer=reference_single_choice,
)
register(
    "multiple_choice",
    grade=grade_multiple_choice,
    validate_key=validate_multiple_choice,
    reference_answer=reference_multiple_choice,
)
register(
    "true_false",
    grade=grade_true_false,
    validate_key=validate_true_false,
    reference_answer=reference_single_choice,
)

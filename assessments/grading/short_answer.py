"""short_answer questions: the answer must match an accepted answer or a regex.

Key: ``"accepted": ["..."], "case_sensitive": false, "regex": ""``. Both sides are normalised
(Unicode NFKC, surrounding whitespace stripped, inner whitespace collapsed to one space,
casefolded unless case_sensitive). The regex must match the whole normalised answer
(``re.fullmatch``, IGNORECASE unless case_sensitive). Answers longer than MAX_ANSWER_LENGTH
score 0 so a regex never runs on huge input; validate_key refuses regexes that do not compile
or that nest unbounded repeats (``(a+)+``), the usual cause of catastrophic backtracking.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

# The regex parser is private API (stable from 3.11 on); its uses below catch any error.
from re import _constants as _sre
from re import _parser as _sre_parse
from typing import Any

from . import INVALID_KEY, NO_ANSWER, Grade, key_points, register

MAX_ANSWER_LENGTH = 1_000

ANSWER_TOO_LONG = f"Your answer is too long (max {MAX_ANSWER_LENGTH:,} characters)."
NEEDS_ACCEPTED_OR_REGEX = "Add at least one accepted answer or a regex."
REGEX_NESTED_REPEAT = (
    "The regex repeats a group that itself repeats (like (a+)+ or (\\w+\\s?)*), which can take "
    "forever on some answers; rewrite it or list the accepted answers instead."
)
REGEX_NO_EXAMPLE = (
    "No answer matching the regex could be built automatically; add an accepted answer."
)


def normalise(text: str, *, case_sensitive: bool = False) -> str:
    """NFKC, strip, collapse whitespace, and casefold unless case_sensitive."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    if not case_sensitive:
        text = unicodedata.normalize("NFKC", text.casefold())
    return text


def _case_sensitive(key: dict) -> bool:
    return key.get("case_sensitive") is True


def _accepted(key: dict) -> list[str]:
    raw = key.get("accepted") or []
    if not isinstance(raw, list):
        return []
    return [a for a in raw if isinstance(a, str) and a.strip()]


def _regex_source(key: dict) -> str:
    raw = key.get("regex")
    return raw if isinstance(raw, str) else ""


def _compiled(key: dict) -> re.Pattern[str] | None:
    """The key's compiled regex, None when there is none; raises re.error if it is invalid."""
    source = _regex_source(key)
    if not source:
        return None
    return re.compile(source, 0 if _case_sensitive(key) else re.IGNORECASE)


def _matches(key: dict, answer: str) -> bool:
    case_sensitive = _case_sensitive(key)
    normalised = normalise(answer, case_sensitive=case_sensitive)
    accepted = {normalise(a, case_sensitive=case_sensitive) for a in _accepted(key)}
    if normalised in accepted:
        return True
    pattern = _compiled(key)
    if pattern is None:
        return False
    if pattern.fullmatch(normalised):
        return True
    # Casefolding can break regexes written with e.g. "ß"; try the uncasefolded form too.
    return not case_sensitive and bool(pattern.fullmatch(normalise(answer, case_sensitive=True)))


def _answer_text(answer: Any) -> str | None:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, bytes):
        try:
            return answer.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if isinstance(answer, int | float | Decimal) and not isinstance(answer, bool):
        try:
            return str(answer)
        except ValueError:  # int too large to convert
            return None
    return None


def _structure_errors(key: dict) -> list[str]:
    errors: list[str] = []
    raw = key.get("accepted", [])
    if raw is not None and not isinstance(raw, list):
        errors.append("Accepted answers must be a list of texts.")
        raw = []
    for number, item in enumerate(raw or [], start=1):
        if not isinstance(item, str) or not normalise(item):
            errors.append(f"Accepted answer {number} must be a non-empty text.")
        elif len(item) > MAX_ANSWER_LENGTH:
            errors.append(
                f"Accepted answer {number} is longer than {MAX_ANSWER_LENGTH:,} characters."
            )
    if not isinstance(key.get("case_sensitive", False), bool):
        errors.append("'case_sensitive' must be true or false.")
    regex = key.get("regex", "")
    if regex is not None and not isinstance(regex, str):
        errors.append("The regex must be text.")
    elif regex:
        try:
            _compiled(key)
        except (re.error, RecursionError, OverflowError, ValueError) as exc:
            errors.append(f"The regex does not compile: {exc}.")
    if not _accepted(key) and not _regex_source(key):
        errors.append(NEEDS_ACCEPTED_OR_REGEX)
    return errors


def validate_key(key: dict) -> list[str]:
    """Errors for a short_answer key: accepted texts, a compiling and safe regex, one or both."""
    errors = _structure_errors(key)
    if errors or not _regex_source(key):
        return errors
    if _nests_unbounded_repeats(_regex_source(key)):
        errors.append(REGEX_NESTED_REPEAT)
    elif reference_answer(key) is None:
        errors.append(REGEX_NO_EXAMPLE)
    return errors


def grade(key: dict, answer: Any) -> Grade:
    """Full points when the normalised answer matches, else 0."""
    maximum = key_points(key)
    if _structure_errors(key):
        return Grade(0.0, maximum, INVALID_KEY)
    text = _answer_text(answer)
    if text is None or not text.strip():
        return Grade(0.0, maximum, NO_ANSWER)
    if len(text) > MAX_ANSWER_LENGTH:
        return Grade(0.0, maximum, ANSWER_TOO_LONG)
    return Grade(maximum if _matches(key, text) else 0.0, maximum)


def reference_answer(key: dict) -> str | None:
    """The first accepted answer, else a string built from the regex (None if none fits)."""
    accepted = _accepted(key)
    if accepted:
        return accepted[0]
    try:
        example = _regex_example(_regex_source(key))
        if example and example.strip() and len(example) <= MAX_ANSWER_LENGTH:
            return example if _matches(key, example) else None
    except Exception:  # the regex parser is private API
        return None
    return None


# --- regex analysis -------------------------------------------------------------------------

_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT} | (
    {_sre.POSSESSIVE_REPEAT} if hasattr(_sre, "POSSESSIVE_REPEAT") else set()
)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)


def _children(op: Any, av: Any) -> list[Any]:
    """Sub-patterns directly inside one parsed element."""
    if op in _REPEATS:
        return [av[2]]
    if op is _sre.SUBPATTERN:
        return [av[-1]]
    if op is _sre.BRANCH:
        return list(av[1])
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return [av[1]]
    if _ATOMIC is not None and op is _ATOMIC:
        return [av]
    if op is _sre.GROUPREF_EXISTS:
        return [p for p in av[1:] if p is not None]
    return []


def _min_width(body: Any, element: Any) -> int:
    return _sre_parse.SubPattern(body.state, [element]).getwidth()[0]


def _ends_in_unbounded(op: Any, av: Any) -> bool:
    """True when the element is an unbounded repeat whose body can itself be ambiguous."""
    if op in _REPEATS:
        return av[1] == _sre.MAXREPEAT
    if op in (_sre.SUBPATTERN, _sre.BRANCH) or (_ATOMIC is not None and op is _ATOMIC):
        return any(_ambiguous(child) for child in _children(op, av))
    return False


def _ambiguous(body: Any) -> bool:
    """True when body is an unbounded repeat plus only parts that can match nothing."""
    elements = list(body)
    for index, (op, av) in enumerate(elements):
        if not _ends_in_unbounded(op, av):
            continue
        others = (e for i, e in enumerate(elements) if i != index)
        if all(_min_width(body, e) == 0 for e in others):
            return True
    return False


def _walk_nested(pattern: Any) -> bool:
    for op, av in pattern:
        if op in _REPEATS and av[1] == _sre.MAXREPEAT and _ambiguous(av[2]):
            return True
        if any(_walk_nested(child) for child in _children(op, av)):
            return True
    return False


def _nests_unbounded_repeats(source: str) -> bool:
    """Heuristic: an unbounded repeat whose body is essentially another unbounded repeat."""
    try:
        return _walk_nested(_sre_parse.parse(source))
    except Exception:  # private parser API; unknown shapes are not flagged
        return False


_CATEGORY_EXAMPLES = {
    _sre.CATEGORY_DIGIT: "0",
    _sre.CATEGORY_NOT_DIGIT: "a",
    _sre.CATEGORY_SPACE: " ",
    _sre.CATEGORY_NOT_SPACE: "a",
    _sre.CATEGORY_WORD: "a",
    _sre.CATEGORY_NOT_WORD: "-",
}
_CANDIDATE_CHARS = "a0-_ zZ9.,!x"


def _in_class(items: list[Any], char: str) -> bool:
    code = ord(char)
    for op, av in items:
        if op is _sre.LITERAL and av == code:
            return True
        if op is _sre.RANGE and av[0] <= code <= av[1]:
            return True
        if op is _sre.CATEGORY and _CATEGORY_EXAMPLES.get(av) == char:
            return True
    return False


def _class_example(items: list[Any]) -> str | None:
    if items and items[0][0] is _sre.NEGATE:
        rest = items[1:]
        for char in _CANDIDATE_CHARS:
            if not _in_class(rest, char) and not any(op is _sre.CATEGORY for op, _ in rest):
                return char
        return None
    for op, av in items:
        if op is _sre.LITERAL:
            return chr(av)
        if op is _sre.RANGE:
            return chr(av[0])
        if op is _sre.CATEGORY and av in _CATEGORY_EXAMPLES:
            return _CATEGORY_EXAMPLES[av]
    return None


def _example(pattern: Any, groups: dict[int, str]) -> str | None:
    """A short string the parsed pattern should match; verified by the caller."""
    out: list[str] = []
    for op, av in pattern:
        if op is _sre.LITERAL:
            piece: str | None = chr(av)
        elif op is _sre.NOT_LITERAL:
            piece = "a" if av != ord("a") else "b"
        elif op is _sre.ANY:
            piece = "a"
        elif op is _sre.IN:
            piece = _class_example(av)
        elif op in _REPEATS:
            low, _high, body = av
            piece = _example(body, groups) if low else ""
            if piece is not None and low:
                if len(piece) * low > MAX_ANSWER_LENGTH:
                    return None
                piece *= low
        elif op is _sre.SUBPATTERN:
            piece = _example(av[-1], groups)
            if piece is not None and av[0] is not None:
                groups[av[0]] = piece
        elif op is _sre.BRANCH:
            piece = None
            for alternative in av[1]:
                piece = _example(alternative, groups)
                if piece is not None:
                    break
        elif _ATOMIC is not None and op is _ATOMIC:
            piece = _example(av, groups)
        elif op is _sre.GROUPREF:
            piece = groups.get(av)
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            piece = ""
        else:
            piece = None
        if piece is None:
            return None
        out.append(piece)
        if sum(map(len, out)) > MAX_ANSWER_LENGTH:
            return None
    return "".join(out)


def _regex_example(source: str) -> str | None:
    if not source:
        return None
    return _example(_sre_parse.parse(source), {})


register(
    "short_answer",
    grade=grade,
    validate_key=validate_key,
    reference_answer=reference_answer,
)

"""Properties every grader keeps for any input (hypothesis)."""

import math
import random
import unicodedata
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessments.grading import (
    GRADER_TYPES,
    Grade,
    grade,
    grade_rubric,
    reference_answer,
    validate_key,
)
from assessments.grading.numeric import parse_number
from assessments.grading.sandbox import QueryResult, compare_results, run_query

# database=None: no .hypothesis directory in the tree; deadline=None: SQL runs vary in time.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SOME = settings(PROPERTY, max_examples=80)
FEW = settings(PROPERTY, max_examples=60)

# --- strategies ---------------------------------------------------------------------------

SPECIAL_TEXT = st.sampled_from(
    [
        "\udcff",
        "a\udcffb",
        "\x00",
        "SELECT 1\x00",
        "",
        " ",
        "\t\n",
        "nan",
        "-inf",
        "1e999999999",
        "1,000",
        "1,000,000.5",
        "０",
        "ﷺ" * 100,
        "\u202e",
        "a" * 1_001,
        "9" * 100_000,
        "," * 100_000,
        "(" * 10_000,
        "x" * 1_000_000,
        "SELECT 1; DROP TABLE t",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c",
    ]
)
TEXT = st.text(st.characters(exclude_categories=()), max_size=40) | SPECIAL_TEXT
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([10**400, 2**63, -(2**63) - 1])
    | st.builds(lambda: -(10**5000))  # too long for str(); built so hypothesis never repr()s it
    | st.floats()
    | st.decimals()
    | TEXT
    | st.binary(max_size=40)
    | st.sampled_from([b"\xff\xfe", b"\x00", Decimal("sNaN"), Decimal("-Infinity")])
)
ANSWERS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        | st.frozensets(st.integers() | st.text(max_size=5), max_size=4)
    ),
    max_leaves=8,
)
POINTS = st.integers(min_value=1, max_value=20) | st.floats(min_value=0.25, max_value=100)

SQL_SETUP = """
CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, tag TEXT);
INSERT INTO t VALUES (1, 'a', 1.5, 'x'), (2, 'b', NULL, 'y'), (3, 'c', 2.25, NULL),
    (4, 'a', 1.5, 'x');
"""
SQL_REFERENCES = [
    "SELECT id FROM t",
    "SELECT name, count(*) FROM t GROUP BY name",
    "SELECT avg(score) FROM t",
    "SELECT * FROM t WHERE tag IS NULL",
    "SELECT name FROM t ORDER BY id",
]


def clean_text(min_size: int = 1) -> st.SearchStrategy[str]:
    """Printable text that stays non-empty after short_answer normalisation."""
    return st.text(
        st.characters(categories=["L", "N", "P", "Zs"]), min_size=min_size, max_size=12
    ).filter(lambda s: " ".join(unicodedata.normalize("NFKC", s).split()) != "")


@st.composite
def choice_keys(draw: st.DrawFn, type_name: str | None = None) -> dict:
    type_name = type_name or draw(
        st.sampled_from(["single_choice", "multiple_choice", "true_false"])
    )
    count = 2 if type_name == "true_false" else draw(st.integers(min_value=2, max_value=6))
    texts = draw(
        st.lists(
            clean_text(),
            min_size=count,
            max_size=count,
            unique_by=lambda s: " ".join(s.split()).casefold(),
        )
    )
    if type_name == "multiple_choice":
        flags = draw(st.lists(st.booleans(), min_size=count, max_size=count))
        assume(any(flags))
    else:
        correct = draw(st.integers(min_value=0, max_value=count - 1))
        flags = [i == correct for i in range(count)]
    with_ids = draw(st.booleans())
    choices = []
    for index, (text, flag) in enumerate(zip(texts, flags, strict=True)):
        item = {"text": text, "correct": flag, "feedback": draw(st.sampled_from(["", "Because."]))}
        if with_ids:
            item["id"] = str(100 + index)
        choices.append(item)
    return {"type": type_name, "points": draw(POINTS), "choices": choices}


@st.composite
def short_answer_keys(draw: st.DrawFn, *, case_sensitive: bool | None = None) -> dict:
    """Valid keys; with case_sensitive given, always with at least one accepted answer."""
    accepted = draw(st.lists(clean_text(), min_size=case_sensitive is not None, max_size=3))
    regex = draw(st.sampled_from(["", r"\d+", r"[a-z]+( [a-z]+)*", r"(yes|no)", r"o\(n\)"]))
    assume(accepted or regex)
    return {
        "type": "short_answer",
        "points": draw(POINTS),
        "accepted": accepted,
        "case_sensitive": draw(st.booleans()) if case_sensitive is None else case_sensitive,
        "regex": regex,
    }


@st.composite
def numeric_keys(draw: st.DrawFn) -> dict:
    value = draw(
        st.integers(min_value=-(10**12), max_value=10**12)
        | st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
    )
    tolerance = draw(st.just(0) | st.floats(min_value=0, max_value=1e6))
    return {"type": "numeric", "points": draw(POINTS), "value": value, "tolerance": tolerance}


@st.composite
def sql_keys(draw: st.DrawFn) -> dict:
    return {
        "type": "sql",
        "points": draw(POINTS),
        "setup_sql": SQL_SETUP,
        "reference_query": draw(st.sampled_from(SQL_REFERENCES)),
        "order_matters": draw(st.booleans()),
    }


@st.composite
def free_text_keys(draw: st.DrawFn) -> dict:
    points = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=4))
    rubric = [{"criterion": f"Criterion {i}", "points": p} for i, p in enumerate(points)]
    return {"type": "free_text", "points": sum(points), "rubric": rubric}


FAST_VALID_KEYS = choice_keys() | short_answer_keys() | numeric_keys() | free_text_keys()
VALID_KEYS = FAST_VALID_KEYS | sql_keys()

KEY_FIELDS = [
    "type",
    "points",
    "choices",
    "accepted",
    "case_sensitive",
    "regex",
    "value",
    "tolerance",
    "setup_sql",
    "reference_query",
    "order_matters",
    "rubric",
]
JUNK_KEYS = st.fixed_dictionaries(
    {"type": st.sampled_from([*GRADER_TYPES, "essay", None, 3])},
    optional=dict.fromkeys(KEY_FIELDS[1:], ANSWERS),
) | st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(GRADER_TYPES),
        "points": POINTS | SCALARS,
        "choices": st.lists(
            st.fixed_dictionaries(
                {}, optional={"id": SCALARS, "text": SCALARS, "correct": SCALARS, "feedback": TEXT}
            ),
            max_size=4,
        ),
        "rubric": st.lists(
            st.fixed_dictionaries({}, optional={"criterion": SCALARS, "points": SCALARS}),
            max_size=3,
        ),
        "accepted": st.lists(SCALARS, max_size=3),
        "regex": st.sampled_from(["", "(", r"(a+)+", r"\d+", "[", "a{99999999}", 3]),
        "value": SCALARS,
        "tolerance": SCALARS,
    },
)


def assert_well_formed(result: Grade, key: dict) -> None:
    assert isinstance(result, Grade)
    assert isinstance(result.points, float)
    assert isinstance(result.max_points, float)
    assert isinstance(result.feedback, str)
    assert 0.0 <= result.points <= result.max_points
    assert not math.isnan(result.points)


# --- universal guarantees -----------------------------------------------------------------


@PROPERTY
@given(key=FAST_VALID_KEYS, answer=ANSWERS)
def test_grading_never_raises_and_stays_within_the_key_points(key: dict, answer: object) -> None:
    result = grade(key, answer)
    assert_well_formed(result, key)
    assert result.max_points == float(key["points"])


@FEW
@given(key=sql_keys(), answer=ANSWERS)
def test_sql_grading_never_raises_for_any_answer(key: dict, answer: object) -> None:
    result = grade(key, answer)
    assert_well_formed(result, key)
    assert result.max_points == float(key["points"])


@FEW
@given(key=sql_keys(), query=st.text(st.characters(exclude_categories=()), max_size=80))
def test_sql_grading_never_raises_for_any_query_text(key: dict, query: str) -> None:
    assert_well_formed(grade(key, query), key)


@PROPERTY
@given(key=JUNK_KEYS, answer=ANSWERS)
def test_malformed_keys_never_raise(key: dict, answer: object) -> None:
    errors = validate_key(key)
    assert isinstance(errors, list)
    assert all(isinstance(error, str) and error for error in errors)
    assert_well_formed(grade(key, answer), key)
    reference_answer(key)


@PROPERTY
@given(key=VALID_KEYS)
def test_generated_valid_keys_validate(key: dict) -> None:
    assert validate_key(key) == []


@PROPERTY
@given(key=VALID_KEYS)
def test_the_reference_answer_always_earns_full_marks(key: dict) -> None:
    answer = reference_answer(key)
    result = grade(key, answer)
    if key["type"] == "free_text":
        assert answer is None
        assert result.points == 0
    else:
        assert result.points == result.max_points == float(key["points"])


@PROPERTY
@given(key=free_text_keys(), answer=TEXT)
def test_free_text_is_pending_exactly_when_an_answer_was_given(key: dict, answer: str) -> None:
    result = grade(key, answer)
    assert result.points == 0
    assert result.pending == bool(answer.strip())


@PROPERTY
@given(
    key=free_text_keys(),
    scores=st.dictionaries(st.integers(-2, 6) | st.text(max_size=3), SCALARS, max_size=6),
)
def test_rubric_grades_stay_within_the_key_points(key: dict, scores: dict) -> None:
    result = grade_rubric(key, scores)
    assert_well_formed(result, key)
    assert result.max_points == float(key["points"])


# --- multiple choice ----------------------------------------------------------------------


def ids_of(key: dict) -> tuple[list[str], list[str]]:
    ids = [str(c.get("id", i)) for i, c in enumerate(key["choices"])]
    correct = [cid for cid, c in zip(ids, key["choices"], strict=True) if c["correct"]]
    wrong = [cid for cid in ids if cid not in correct]
    return correct, wrong


@SOME
@given(key=choice_keys("multiple_choice"), data=st.data())
def test_multiple_choice_adding_a_correct_pick_never_lowers_points(key: dict, data) -> None:
    correct, wrong = ids_of(key)
    picked = data.draw(st.lists(st.sampled_from(correct + wrong), unique=True))
    missing = [cid for cid in correct if cid not in picked]
    assume(missing)
    before = grade(key, picked).points
    after = grade(key, [*picked, data.draw(st.sampled_from(missing))]).points
    assert after >= before


@SOME
@given(key=choice_keys("multiple_choice"), data=st.data())
def test_multiple_choice_adding_a_wrong_pick_never_raises_points(key: dict, data) -> None:
    correct, wrong = ids_of(key)
    picked = data.draw(st.lists(st.sampled_from(correct + wrong), unique=True, min_size=1))
    extra = data.draw(st.sampled_from([*[w for w in wrong if w not in picked], "unknown-id"]))
    assert grade(key, [*picked, extra]).points <= grade(key, picked).points


@SOME
@given(key=choice_keys("multiple_choice"), data=st.data())
def test_multiple_choice_ignores_pick_order_and_duplicates(key: dict, data) -> None:
    correct, wrong = ids_of(key)
    picked = data.draw(st.lists(st.sampled_from(correct + wrong), min_size=1))
    shuffled = data.draw(st.permutations(picked))
    assert grade(key, shuffled).points == grade(key, sorted(set(picked))).points


# --- short answer -------------------------------------------------------------------------


@SOME
@given(key=short_answer_keys(case_sensitive=False) | short_answer_keys(case_sensitive=True))
def test_short_answer_ignores_surrounding_and_repeated_whitespace(key: dict) -> None:
    accepted = key["accepted"][-1]
    messy = " \t" + "\n  ".join(accepted.split()) + "\n"
    assert grade(key, messy).points == grade(key, accepted).points == float(key["points"])


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


@SOME
@given(key=short_answer_keys(case_sensitive=False))
def test_short_answer_ignores_case_unless_case_sensitive(key: dict) -> None:
    accepted = key["accepted"][0]
    for variant in (accepted.upper(), accepted.swapcase(), accepted.lower()):
        # Some case mappings are not undone by casefolding ("ı".upper() == "I").
        if folded(variant) == folded(accepted):
            assert grade(key, variant).points == float(key["points"])


# --- numeric ------------------------------------------------------------------------------


@PROPERTY
@given(key=numeric_keys(), fraction=st.floats(min_value=-1, max_value=1))
def test_numeric_accepts_anything_within_the_tolerance(key: dict, fraction: float) -> None:
    answer = Decimal(repr(float(key["value"]))) + Decimal(repr(key["tolerance"] * fraction))
    assert grade(key, str(answer)).points == float(key["points"])


@PROPERTY
@given(key=numeric_keys())
def test_numeric_refuses_answers_clearly_outside_the_tolerance(key: dict) -> None:
    value = Decimal(repr(float(key["value"])))
    margin = Decimal(repr(float(key["tolerance"]))) + abs(value) / 1000 + 1
    assert grade(key, str(value + margin)).points == 0
    assert grade(key, str(value - margin)).points == 0


@PROPERTY
@given(number=st.integers(min_value=-(10**15), max_value=10**15), separator=st.sampled_from(",_ "))
def test_numeric_reads_thousands_separators(number: int, separator: str) -> None:
    grouped = f"{number:,}".replace(",", separator)
    assert parse_number(grouped) == number


@PROPERTY
@given(number=st.decimals(allow_nan=False, allow_infinity=False, places=6, max_value=10**20))
def test_numeric_reads_its_own_formatting(number: Decimal) -> None:
    assert parse_number(f"{number:f}") == number
    assert parse_number(f"{number:,f}") == number


@PROPERTY
@given(number=st.floats(allow_nan=False, allow_infinity=False))
def test_numeric_reads_float_reprs(number: float) -> None:
    assert parse_number(repr(number)) == Decimal(repr(number))


# --- sql result comparison ----------------------------------------------------------------

VALUES = (
    st.none()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.binary(max_size=5)
)


@PROPERTY
@given(
    rows=st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(st.tuples(*[VALUES] * width), max_size=8)
    ),
    seed=st.integers(),
)
def test_results_equal_themselves_in_any_row_order(rows: list[tuple], seed: int) -> None:
    width = len(rows[0]) if rows else 1
    columns = [f"c{i}" for i in range(width)]
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    original = QueryResult(columns=columns, rows=rows)
    assert compare_results(original, QueryResult(columns=columns, rows=rows), order_matters=True)
    assert compare_results(
        QueryResult(columns=columns, rows=shuffled), original, order_matters=False
    )


@FEW
@given(query=st.sampled_from(SQL_REFERENCES))
def test_a_query_always_matches_itself_when_run_again(query: str) -> None:
    first, second = run_query(SQL_SETUP, query), run_query(SQL_SETUP, query)
    assert compare_results(first, second, order_matters=True)


@FEW
@given(query=TEXT, max_rows=st.integers(min_value=0, max_value=10))
def test_the_sandbox_never_raises_and_respects_max_rows(query: str, max_rows: int) -> None:
    result = run_query(SQL_SETUP, query, max_rows=max_rows, timeout=0.05)
    assert isinstance(result, QueryResult)
    assert len(result.rows) <= max_rows
    assert (result.error is None) or (result.rows == [] and isinstance(result.error, str))

"""Grading rules per question type, and the registry's contracts."""

from decimal import Decimal

import pytest

from assessments import grading
from assessments.grading import (
    GRADER_TYPES,
    INVALID_KEY,
    NO_ANSWER,
    UNKNOWN_TYPE,
    Grade,
    choice,
    free_text,
    grade,
    grade_rubric,
    numeric,
    reference_answer,
    short_answer,
    sql,
    validate_key,
)
from assessments.grading.sandbox import NOT_ALLOWED

SINGLE = {
    "type": "single_choice",
    "points": 2,
    "choices": [
        {"id": "10", "text": "A list", "correct": False, "feedback": "Lists are mutable."},
        {"id": "11", "text": "A tuple", "correct": True, "feedback": "Right: tuples are hashable."},
        {"id": "12", "text": "A dict", "correct": False},
    ],
}
TRUE_FALSE = {
    "type": "true_false",
    "points": 1,
    "choices": [
        {"id": "1", "text": "True", "correct": False, "feedback": "No."},
        {"id": "2", "text": "False", "correct": True, "feedback": "Yes."},
    ],
}
MULTIPLE = {
    "type": "multiple_choice",
    "points": 4,
    "choices": [
        {"id": "a", "text": "SELECT", "correct": True, "feedback": "A query."},
        {"id": "b", "text": "WHERE", "correct": True},
        {"id": "c", "text": "FETCH ALL", "correct": False, "feedback": "Not SQLite."},
        {"id": "d", "text": "GRAB", "correct": False},
    ],
}
SHORT = {
    "type": "short_answer",
    "points": 1,
    "accepted": ["Paris", "City of Light"],
    "case_sensitive": False,
    "regex": "",
}
NUMERIC = {"type": "numeric", "points": 3, "value": 1000.5, "tolerance": 0}
SETUP = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, country TEXT);
INSERT INTO customers VALUES (1, 'Ada', 'GB'), (2, 'Linus', 'FI'), (3, 'Grace', 'US'),
    (4, 'Alan', 'GB'), (5, 'Edsger', NULL);
"""
SQL = {
    "type": "sql",
    "points": 5,
    "setup_sql": SETUP,
    "reference_query": "SELECT name FROM customers WHERE country = 'GB'",
    "order_matters": False,
}
FREE = {
    "type": "free_text",
    "points": 5,
    "rubric": [
        {"criterion": "Names the trade-off", "points": 2},
        {"criterion": "Gives an example", "points": 3},
    ],
}
VALID_KEYS = [SINGLE, TRUE_FALSE, MULTIPLE, SHORT, NUMERIC, SQL, FREE]


def with_(key: dict, **changes: object) -> dict:
    return {**key, **changes}


# --- registry -----------------------------------------------------------------------------


def test_all_documented_types_are_registered() -> None:
    assert set(GRADER_TYPES) == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numeric",
        "sql",
        "free_text",
    }


def test_registering_a_type_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="already registered"):
        grading.register(
            "numeric",
            grade=numeric.grade,
            validate_key=numeric.validate_key,
            reference_answer=numeric.reference_answer,
        )


def test_a_new_type_only_needs_registering() -> None:
    def always_full(key: dict, answer: object) -> Grade:
        return Grade(99, 99)

    grading.register(
        "test_only", grade=always_full, validate_key=lambda key: [], reference_answer=lambda k: 1
    )
    try:
        key = {"type": "test_only", "points": 2}
        assert grade(key, "x") == Grade(2.0, 2.0)  # clamped to the key's points
        assert validate_key(key) == []
        assert reference_answer(key) == 1
    finally:
        del grading.REGISTRY["test_only"]


def test_grade_is_a_frozen_dataclass() -> None:
    result = Grade(1, 2)
    assert (result.feedback, result.pending) == ("", False)
    with pytest.raises(AttributeError):
        result.points = 2  # type: ignore[misc]


@pytest.mark.parametrize("key", VALID_KEYS, ids=lambda k: k["type"])
def test_the_shipped_example_keys_are_valid(key: dict) -> None:
    assert validate_key(key) == []


@pytest.mark.parametrize("key", [k for k in VALID_KEYS if k["type"] != "free_text"])
def test_the_reference_answer_earns_full_marks(key: dict) -> None:
    result = grade(key, reference_answer(key))
    assert result.points == result.max_points == key["points"]
    assert not result.pending


def test_free_text_has_no_reference_answer() -> None:
    assert reference_answer(FREE) is None


def test_unknown_types_are_reported_not_raised() -> None:
    key = {"type": "essay", "points": 3}
    assert grade(key, "x") == Grade(0.0, 3.0, UNKNOWN_TYPE)
    assert any("Unknown question type" in error for error in validate_key(key))
    assert reference_answer(key) is None


@pytest.mark.parametrize("key", [None, [], "numeric", 3, {"points": 2}])
def test_keys_that_are_not_question_keys_grade_zero(key: object) -> None:
    result = grade(key, "x")  # type: ignore[arg-type]
    assert result.points == 0
    assert validate_key(key)  # type: ignore[arg-type]


@pytest.mark.parametrize("points", [0, -1, "3", None, True, float("nan"), float("inf")])
def test_keys_need_positive_points(points: object) -> None:
    key = with_(NUMERIC, points=points)
    assert "Points must be a number greater than 0." in validate_key(key)
    assert grade(key, 1000.5) == Grade(0.0, 0.0, INVALID_KEY)


def test_max_points_is_the_key_points_as_float() -> None:
    assert grade(with_(NUMERIC, points=Decimal("2.5")), 1000.5) == Grade(2.5, 2.5)


# --- choice types -------------------------------------------------------------------------


def test_single_choice_gives_full_points_for_the_correct_id() -> None:
    assert grade(SINGLE, "11") == Grade(2.0, 2.0, "Right: tuples are hashable.")


def test_single_choice_gives_zero_and_the_choice_feedback_for_a_wrong_id() -> None:
    assert grade(SINGLE, "10") == Grade(0.0, 2.0, "Lists are mutable.")


def test_single_choice_accepts_int_ids() -> None:
    assert grade(SINGLE, 11).points == 2


def test_single_choice_unknown_ids_score_zero() -> None:
    assert grade(SINGLE, "99") == Grade(0.0, 2.0, "")


@pytest.mark.parametrize("answer", [None, "", "  ", [], {}, 1.5, True])
def test_single_choice_without_a_usable_answer_scores_zero(answer: object) -> None:
    assert grade(SINGLE, answer) == Grade(0.0, 2.0, NO_ANSWER)


def test_true_false_grades_like_single_choice() -> None:
    assert grade(TRUE_FALSE, "2") == Grade(1.0, 1.0, "Yes.")
    assert grade(TRUE_FALSE, "1") == Grade(0.0, 1.0, "No.")


def test_choices_without_ids_are_identified_by_position() -> None:
    key = {
        "type": "true_false",
        "points": 1,
        "choices": [{"text": "True", "correct": True}, {"text": "False", "correct": False}],
    }
    assert validate_key(key) == []
    assert reference_answer(key) == "0"
    assert grade(key, 0).points == 1


def test_multiple_choice_all_correct_and_nothing_wrong_is_full_points() -> None:
    assert grade(MULTIPLE, ["a", "b"]) == Grade(4.0, 4.0, "A query.")


def test_multiple_choice_gives_partial_credit() -> None:
    assert grade(MULTIPLE, ["a"]).points == 2.0


def test_multiple_choice_wrong_picks_subtract_their_share() -> None:
    # 2/2 correct - 1/2 wrong
    assert grade(MULTIPLE, ["a", "b", "c"]).points == 2.0


def test_multiple_choice_never_goes_below_zero() -> None:
    assert grade(MULTIPLE, ["c", "d"]).points == 0.0
    assert grade(MULTIPLE, ["a", "c", "d"]).points == 0.0


def test_multiple_choice_joins_the_feedback_of_picked_choices() -> None:
    assert grade(MULTIPLE, ["a", "c"]).feedback == "A query.\nNot SQLite."


def test_multiple_choice_counts_duplicate_picks_once() -> None:
    assert grade(MULTIPLE, ["a", "a", "a"]).points == 2.0


def test_multiple_choice_counts_unknown_ids_as_wrong_picks() -> None:
    assert grade(MULTIPLE, ["a", "b", "zzz"]).points == 2.0


def test_multiple_choice_without_wrong_choices_has_no_penalty() -> None:
    key = with_(MULTIPLE, choices=[c | {"correct": True} for c in MULTIPLE["choices"]])
    assert grade(key, ["a", "b", "nope"]).points == 2.0


@pytest.mark.parametrize("answer", ["a,b", "a, b", ("a", "b"), {"a", "b"}, ["a", "b", " a "]])
def test_multiple_choice_accepts_other_answer_shapes(answer: object) -> None:
    assert grade(MULTIPLE, answer).points == 4.0


def test_multiple_choice_accepts_a_single_id() -> None:
    assert grade(MULTIPLE, "a").points == 2.0


@pytest.mark.parametrize("answer", [None, [], "", ",", [None, {}]])
def test_multiple_choice_with_nothing_picked_scores_zero(answer: object) -> None:
    assert grade(MULTIPLE, answer) == Grade(0.0, 4.0, NO_ANSWER)


def test_choice_reference_answers() -> None:
    assert reference_answer(SINGLE) == "11"
    assert reference_answer(MULTIPLE) == ["a", "b"]


def test_single_choice_needs_exactly_one_correct_choice() -> None:
    none_correct = with_(SINGLE, choices=[c | {"correct": False} for c in SINGLE["choices"]])
    all_correct = with_(SINGLE, choices=[c | {"correct": True} for c in SINGLE["choices"]])
    assert choice.NEEDS_ONE_CORRECT in validate_key(none_correct)
    assert choice.NEEDS_ONE_CORRECT in validate_key(all_correct)
    assert grade(all_correct, "10") == Grade(0.0, 2.0, INVALID_KEY)


def test_true_false_needs_exactly_two_choices() -> None:
    key = with_(TRUE_FALSE, choices=[*TRUE_FALSE["choices"], {"id": "3", "text": "Maybe"}])
    assert choice.TRUE_FALSE_TWO_CHOICES in validate_key(key)


def test_multiple_choice_needs_a_correct_choice() -> None:
    key = with_(MULTIPLE, choices=[c | {"correct": False} for c in MULTIPLE["choices"]])
    assert choice.NEEDS_SOME_CORRECT in validate_key(key)
    assert grade(key, ["a"]) == Grade(0.0, 4.0, INVALID_KEY)


def test_choice_types_need_two_choices() -> None:
    key = with_(MULTIPLE, choices=[MULTIPLE["choices"][0]])
    assert choice.NEEDS_TWO_CHOICES in validate_key(key)


def test_choice_texts_must_be_present_and_distinct() -> None:
    key = with_(
        MULTIPLE,
        choices=[
            {"id": "a", "text": "Same", "correct": True},
            {"id": "b", "text": " same ", "correct": False},
            {"id": "c", "text": "  ", "correct": False},
        ],
    )
    errors = validate_key(key)
    assert "Choice 2 repeats the text of another choice." in errors
    assert "Choice 3 needs a text." in errors


def test_choice_ids_must_be_distinct() -> None:
    key = with_(
        MULTIPLE,
        choices=[{"id": "a", "text": "One", "correct": True}, {"id": "a", "text": "Two"}],
    )
    assert "Choice 2 repeats the id of another choice." in validate_key(key)


@pytest.mark.parametrize("choices", [None, "abc", [1, 2], [{"text": "x", "correct": "yes"}]])
def test_malformed_choices_are_reported_not_raised(choices: object) -> None:
    key = with_(SINGLE, choices=choices)
    assert validate_key(key)
    assert grade(key, "1") == Grade(0.0, 2.0, INVALID_KEY)


# --- short answer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["Paris", "paris", "  PARIS  ", "city   of\tlight", "Ｐａｒｉｓ", "paris\u00a0"]
)
def test_short_answer_matches_normalised_accepted_answers(answer: str) -> None:
    assert grade(SHORT, answer).points == 1


def test_short_answer_rejects_other_answers() -> None:
    assert grade(SHORT, "Lyon") == Grade(0.0, 1.0)
    assert grade(SHORT, "Par is").points == 0


def test_short_answer_can_be_case_sensitive() -> None:
    key = with_(SHORT, accepted=["SELECT"], case_sensitive=True)
    assert grade(key, " SELECT ").points == 1
    assert grade(key, "select").points == 0


def test_short_answer_casefolds_beyond_lowercase() -> None:
    key = with_(SHORT, accepted=["Straße"])
    assert grade(key, "STRASSE").points == 1


def test_short_answer_regex_must_match_the_whole_normalised_answer() -> None:
    key = with_(SHORT, accepted=[], regex=r"o\(n( log n)?\)")
    assert grade(key, "O(n log n)").points == 1
    assert grade(key, "  O(n)  ").points == 1
    assert grade(key, "O(n) maybe").points == 0


def test_short_answer_regex_respects_case_sensitivity() -> None:
    key = with_(SHORT, accepted=[], regex=r"[A-Z]{3}", case_sensitive=True)
    assert grade(key, "ABC").points == 1
    assert grade(key, "abc").points == 0


def test_short_answer_refuses_overlong_answers_without_running_the_regex() -> None:
    key = with_(SHORT, regex=r"a+")
    result = grade(key, "a" * 1_001)
    assert result == Grade(0.0, 1.0, short_answer.ANSWER_TOO_LONG)
    assert grade(key, "a" * 1_000).points == 1


@pytest.mark.parametrize("answer", [None, "", "   ", [], {"a": 1}, b"\xff"])
def test_short_answer_without_a_usable_answer_scores_zero(answer: object) -> None:
    assert grade(SHORT, answer) == Grade(0.0, 1.0, NO_ANSWER)


def test_short_answer_accepts_numbers_and_utf8_bytes() -> None:
    key = with_(SHORT, accepted=["42"])
    assert grade(key, 42).points == 1
    assert grade(key, b"42").points == 1


def test_short_answer_needs_an_accepted_answer_or_a_regex() -> None:
    key = with_(SHORT, accepted=[], regex="")
    assert short_answer.NEEDS_ACCEPTED_OR_REGEX in validate_key(key)
    assert grade(key, "Paris") == Grade(0.0, 1.0, INVALID_KEY)


def test_short_answer_refuses_regexes_that_do_not_compile() -> None:
    key = with_(SHORT, regex="(unclosed")
    assert any(error.startswith("The regex does not compile") for error in validate_key(key))
    assert grade(key, "Paris") == Grade(0.0, 1.0, INVALID_KEY)


@pytest.mark.parametrize("regex", [r"(a+)+", r"(\w+\s?)*", r"(?:x*)*y", r"((ab)+)+"])
def test_short_answer_refuses_regexes_prone_to_catastrophic_backtracking(regex: str) -> None:
    assert short_answer.REGEX_NESTED_REPEAT in validate_key(with_(SHORT, regex=regex))


@pytest.mark.parametrize("regex", [r"(\d+,)*\d+", r"[a-z]+( [a-z]+)*", r"(ab|cd){1,3}"])
def test_short_answer_accepts_safe_repeated_groups(regex: str) -> None:
    assert validate_key(with_(SHORT, regex=regex)) == []


def test_short_answer_builds_a_reference_answer_from_a_regex() -> None:
    key = with_(SHORT, accepted=[], regex=r"\d{3}-[A-Z]{2}(x|y)\1")
    example = reference_answer(key)
    assert example is not None
    assert grade(key, example).points == 1
    assert validate_key(key) == []


def test_short_answer_asks_for_an_accepted_answer_when_the_regex_defeats_examples() -> None:
    key = with_(SHORT, accepted=[], regex=r"(?=.*\d)(?=.*[a-z]).{8}")
    assert reference_answer(key) is None
    assert short_answer.REGEX_NO_EXAMPLE in validate_key(key)


def test_short_answer_never_offers_a_blank_reference_answer() -> None:
    key = with_(SHORT, accepted=[], regex=r"x*")
    assert reference_answer(key) is None
    assert short_answer.REGEX_NO_EXAMPLE in validate_key(key)


def test_short_answer_accepted_answers_must_be_non_empty_text() -> None:
    errors = validate_key(with_(SHORT, accepted=["ok", "  ", 3]))
    assert "Accepted answer 2 must be a non-empty text." in errors
    assert "Accepted answer 3 must be a non-empty text." in errors


# --- numeric ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        1000.5,
        Decimal("1000.50"),
        "1000.5",
        " 1000.50 ",
        "+1000.5",
        "1,000.5",
        "1 000.5",
        "1_000.5",
        "1.0005e3",
        "1.0005E+3",
        "１０００.５",
        "1\u202f000.5",
    ],
)
def test_numeric_accepts_the_value_in_common_notations(answer: object) -> None:
    assert grade(NUMERIC, answer) == Grade(3.0, 3.0)


@pytest.mark.parametrize(
    "answer",
    ["1,00.5", "10,00.5", "1,000 000.5", "1.000,5", "1000,5", "1e", "--1", "0x10", "1/2", "NaN",
     "nan", "inf", "-Infinity", "1000.5.0", "١٠٠٠", "1_0", "twelve", "1,000,00"],
)  # fmt: skip
def test_numeric_refuses_text_that_is_not_a_number(answer: str) -> None:
    assert grade(NUMERIC, answer) == Grade(0.0, 3.0, numeric.NOT_A_NUMBER)


@pytest.mark.parametrize("answer", [float("nan"), float("inf"), Decimal("NaN"), True, [1], {}])
def test_numeric_refuses_values_that_are_not_finite_numbers(answer: object) -> None:
    assert grade(NUMERIC, answer) == Grade(0.0, 3.0, numeric.NOT_A_NUMBER)


@pytest.mark.parametrize("answer", [None, "", "   "])
def test_numeric_without_an_answer_scores_zero(answer: object) -> None:
    assert grade(NUMERIC, answer) == Grade(0.0, 3.0, NO_ANSWER)


def test_numeric_accepts_large_comma_grouped_numbers() -> None:
    key = with_(NUMERIC, value=1_000_000)
    assert grade(key, "1,000,000").points == 3
    assert grade(key, "-1,000,000").points == 0


def test_numeric_applies_the_tolerance_inclusively() -> None:
    key = with_(NUMERIC, value=10, tolerance=0.5)
    assert grade(key, "10.5").points == 3
    assert grade(key, "9.5").points == 3
    assert grade(key, "10.51").points == 0


def test_numeric_forgives_floating_point_error() -> None:
    key = with_(NUMERIC, value=0.3)
    assert grade(key, 0.1 + 0.2).points == 3
    assert grade(key, "0.3").points == 3
    assert grade(key, "0.3000001").points == 0


def test_numeric_handles_negative_and_unicode_minus() -> None:
    key = with_(NUMERIC, value=-4)
    assert grade(key, "-4").points == 3
    assert grade(key, "\u22124").points == 3
    assert grade(key, "4").points == 0


def test_numeric_refuses_numbers_beyond_float_range() -> None:
    assert grade(NUMERIC, "1e999999999").feedback == numeric.NOT_A_NUMBER
    assert grade(NUMERIC, 10**400).feedback == numeric.NOT_A_NUMBER


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": None}, "The value must be a finite number."),
        ({"value": float("nan")}, "The value must be a finite number."),
        ({"value": "42"}, "The value must be a finite number."),
        ({"tolerance": -1}, "The tolerance must be a number greater than or equal to 0."),
        ({"tolerance": float("inf")}, "The tolerance must be a number greater than or equal to 0."),
    ],
)
def test_numeric_keys_need_a_finite_value_and_non_negative_tolerance(
    changes: dict, message: str
) -> None:
    key = with_(NUMERIC, **changes)
    assert message in validate_key(key)
    assert grade(key, "1000.5") == Grade(0.0, 3.0, INVALID_KEY)


def test_numeric_tolerance_defaults_to_zero() -> None:
    key = {"type": "numeric", "points": 1, "value": 7}
    assert validate_key(key) == []
    assert grade(key, "7").points == 1


# --- sql ----------------------------------------------------------------------------------


def test_sql_gives_full_points_for_the_same_rows_in_any_order() -> None:
    query = "SELECT name AS who FROM customers WHERE country IN ('GB') ORDER BY name DESC"
    assert grade(SQL, query) == Grade(5.0, 5.0)


def test_sql_checks_order_when_the_key_says_so() -> None:
    key = with_(SQL, reference_query="SELECT name FROM customers ORDER BY name", order_matters=True)
    assert grade(key, "SELECT name FROM customers ORDER BY name").points == 5
    result = grade(key, "SELECT name FROM customers ORDER BY name DESC")
    assert result == Grade(0.0, 5.0, sql.WRONG_ORDER)


def test_sql_reports_a_different_row_count() -> None:
    result = grade(SQL, "SELECT name FROM customers")
    assert result == Grade(
        0.0, 5.0, "Your query ran but returned different rows (5 rows, expected 2)."
    )


def test_sql_reports_different_rows_of_the_same_count() -> None:
    result = grade(SQL, "SELECT name FROM customers WHERE country = 'FI' OR id = 3")
    assert result == Grade(0.0, 5.0, sql.DIFFERENT_ROWS)


def test_sql_reports_a_different_column_count() -> None:
    result = grade(SQL, "SELECT id, name FROM customers WHERE country = 'GB'")
    assert result.feedback == "Your query returned 2 columns, expected 1."


def test_sql_reports_more_rows_than_the_sandbox_keeps() -> None:
    query = "SELECT a.name FROM customers a, customers b, customers c, customers d"
    assert grade(SQL, query).feedback == "Your query returned more than 500 rows, expected 2."


def test_sql_passes_on_the_sandbox_error() -> None:
    assert grade(SQL, "SELEC name FROM customers").feedback == 'near "SELEC": syntax error'
    assert grade(SQL, "DELETE FROM customers") == Grade(0.0, 5.0, NOT_ALLOWED)


@pytest.mark.parametrize("answer", [None, "", "  ", 42, ["SELECT 1"]])
def test_sql_without_a_query_scores_zero(answer: object) -> None:
    assert grade(SQL, answer) == Grade(0.0, 5.0, NO_ANSWER)


def test_sql_reference_answer_is_the_reference_query() -> None:
    assert reference_answer(SQL) == SQL["reference_query"]


def test_sql_keys_need_a_reference_query_that_runs() -> None:
    errors = validate_key(with_(SQL, reference_query="SELECT nope FROM customers"))
    assert errors == ["The reference query fails: no such column: nope"]


def test_sql_keys_need_a_reference_query_that_returns_rows() -> None:
    key = with_(SQL, reference_query="SELECT name FROM customers WHERE 0")
    assert validate_key(key) == ["The reference query returns no rows."]


def test_sql_keys_need_a_reference_query() -> None:
    key = with_(SQL, reference_query="")
    assert validate_key(key) == ["Add a reference query."]
    assert grade(key, "SELECT 1") == Grade(0.0, 5.0, INVALID_KEY)


def test_sql_with_a_broken_reference_grades_zero_as_invalid_key() -> None:
    key = with_(SQL, reference_query="SELECT nope FROM customers")
    assert grade(key, "SELECT name FROM customers") == Grade(0.0, 5.0, INVALID_KEY)


# --- free text ----------------------------------------------------------------------------


def test_free_text_answers_wait_for_a_reviewer() -> None:
    assert grade(FREE, "Caching trades memory for speed.") == Grade(
        0.0, 5.0, free_text.AWAITING_REVIEW, pending=True
    )


@pytest.mark.parametrize("answer", [None, "", " \n\t ", 42, ["text"]])
def test_free_text_blank_answers_are_not_pending(answer: object) -> None:
    assert grade(FREE, answer) == Grade(0.0, 5.0, NO_ANSWER, pending=False)


def test_grade_rubric_sums_the_reviewer_scores() -> None:
    result = grade_rubric(FREE, {0: 2, 1: 1.5})
    assert (result.points, result.max_points, result.pending) == (3.5, 5.0, False)
    assert result.feedback == "Names the trade-off: 2/2\nGives an example: 1.5/3"


def test_grade_rubric_clamps_each_criterion() -> None:
    assert grade_rubric(FREE, {0: 10, 1: -4}).points == 2.0


def test_grade_rubric_ignores_unknown_indexes_and_bad_scores() -> None:
    scores = {5: 3, -1: 3, "x": 3, 0: "two", 1: float("nan")}
    assert grade_rubric(FREE, scores).points == 0.0  # type: ignore[arg-type]


def test_grade_rubric_accepts_string_indexes_from_json() -> None:
    assert grade_rubric(FREE, {"0": 2, "1": 3}).points == 5.0  # type: ignore[dict-item]


def test_grade_rubric_with_an_invalid_key_is_zero() -> None:
    key = with_(FREE, rubric=[])
    assert grade_rubric(key, {0: 2}) == Grade(0.0, 5.0, INVALID_KEY)
    assert grade_rubric(None, {0: 2}).points == 0  # type: ignore[arg-type]


def test_free_text_rubric_must_add_up_to_the_points() -> None:
    key = with_(FREE, points=6)
    assert validate_key(key) == ["The rubric points add up to 5, but the question is worth 6."]


def test_free_text_needs_criteria_with_text_and_points() -> None:
    assert validate_key(with_(FREE, rubric=[])) == [free_text.NEEDS_CRITERION]
    errors = validate_key(with_(FREE, rubric=[{"criterion": " ", "points": 0}, "x"]))
    assert "Rubric criterion 1 needs a description." in errors
    assert "Rubric criterion 1 needs points greater than 0." in errors
    assert "Rubric criterion 2 must be an object." in errors

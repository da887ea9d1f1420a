"""The SQL sandbox runs untrusted SELECTs quickly, read-only, and never raises."""

import time
from collections.abc import Iterator

import pytest

from assessments.grading import sandbox
from assessments.grading.sandbox import QueryResult, compare_results, run_query

SETUP = """
CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
INSERT INTO t (id, name, score) SELECT i, 'name ' || i, i / 4.0 FROM n;
"""
CHECK_QUERY = "SELECT count(*), sum(id), max(name) FROM t"
ORIGINAL = [(100, 5050, "name 99")]
# A guard against hangs, not a speed target (those live in bench/): the error
# message proves the sandbox's own one-second limit fired; a loaded CI machine
# may take longer in wall-clock time to get there.
TIME_BUDGET = 10.0


@pytest.fixture
def stopwatch() -> Iterator[None]:
    """Fail a test that takes longer than TIME_BUDGET seconds."""
    started = time.monotonic()
    yield
    assert time.monotonic() - started < TIME_BUDGET


def assert_untouched() -> None:
    """The data reads back as created (each run starts fresh, but prove nothing leaked)."""
    result = run_query(SETUP, CHECK_QUERY)
    assert result.error is None
    assert result.rows == ORIGINAL


def ok(rows: list[tuple], columns: int = 1) -> QueryResult:
    return QueryResult(columns=[f"c{i}" for i in range(columns)], rows=rows)


# --- normal queries -----------------------------------------------------------------------


def test_select_returns_columns_and_rows() -> None:
    result = run_query(SETUP, "SELECT id, name FROM t WHERE id <= 2 ORDER BY id")
    assert result == QueryResult(columns=["id", "name"], rows=[(1, "name 1"), (2, "name 2")])


def test_a_single_trailing_semicolon_and_comments_are_fine() -> None:
    result = run_query(SETUP, "SELECT 1; -- done\n /* really */ ;  ")
    assert result.error is None
    assert result.rows == [(1,)]


def test_semicolons_inside_strings_do_not_split_the_statement() -> None:
    result = run_query(SETUP, 'SELECT \'a;b\', "x;y" FROM (SELECT 1 AS "x;y");')
    assert result.error is None
    assert result.rows == [("a;b", 1)]


def test_with_and_values_and_recursive_ctes_with_an_end_are_allowed() -> None:
    query = "WITH RECURSIVE c(x) AS (VALUES (1) UNION ALL SELECT x + 1 FROM c WHERE x < 3) "
    result = run_query(SETUP, query + "SELECT x FROM c")
    assert result.rows == [(1,), (2,), (3,)]


def test_syntax_errors_come_back_as_the_sqlite_message() -> None:
    result = run_query(SETUP, "SELEC id FROM t")
    assert result.error == 'near "SELEC": syntax error'
    assert result.rows == []


def test_missing_tables_come_back_as_the_sqlite_message() -> None:
    assert run_query(SETUP, "SELECT * FROM nope").error == "no such table: nope"


def test_invalid_utf8_built_by_the_query_is_replaced_not_raised() -> None:
    result = run_query(SETUP, "SELECT CAST(x'ff' AS TEXT)")
    assert result.error is None
    assert result.rows == [("\ufffd",)]


def test_parameters_are_refused_with_a_hint() -> None:
    assert run_query(SETUP, "SELECT * FROM t WHERE id = ?").error == sandbox.NO_PARAMETERS


def test_broken_setup_sql_is_reported_not_raised() -> None:
    result = run_query("CREATE TABLE broken (", "SELECT 1")
    assert result.error is not None
    assert result.error.startswith(sandbox.SETUP_FAILED)


def test_setup_sql_cannot_attach_files_either(tmp_path) -> None:
    target = tmp_path / "setup.db"
    result = run_query(f"ATTACH '{target}' AS other;", "SELECT 1")
    assert result.error is not None
    assert result.error.startswith(sandbox.SETUP_FAILED)
    assert not target.exists()


def test_setup_sql_may_use_pragmas_and_writes() -> None:
    setup = "PRAGMA foreign_keys = ON; CREATE TABLE a (x); INSERT INTO a VALUES (1); "
    assert run_query(setup + "UPDATE a SET x = 2;", "SELECT x FROM a").rows == [(2,)]


def test_a_runaway_setup_script_is_stopped() -> None:
    setup = "CREATE TABLE a AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
    started = time.monotonic()
    result = run_query(setup + "SELECT x FROM c;", "SELECT 1")
    assert result.error is not None
    assert result.error.startswith(sandbox.SETUP_FAILED)
    assert time.monotonic() - started < TIME_BUDGET


@pytest.mark.parametrize(("max_rows", "timeout"), [(None, 1.0), ("x", 1.0), (5, "soon")])
def test_bad_limits_are_reported_not_raised(max_rows: object, timeout: object) -> None:
    result = run_query(SETUP, "SELECT 1", max_rows=max_rows, timeout=timeout)  # type: ignore[arg-type]
    assert result.error == sandbox.QUERY_FAILED


def test_timeout_is_a_keyword_argument() -> None:
    query = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    started = time.monotonic()
    result = run_query(SETUP, query, timeout=0.1)
    assert result.error == sandbox.QUERY_TIMEOUT
    assert time.monotonic() - started < TIME_BUDGET


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.usefixtures("stopwatch")
def test_attach_to_a_file_is_refused_and_creates_no_file(tmp_path) -> None:
    target = tmp_path / "stolen.db"
    result = run_query(SETUP, f"ATTACH DATABASE '{target}' AS stolen")
    assert result.error == sandbox.NOT_ALLOWED
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert_untouched()


@pytest.mark.usefixtures("stopwatch")
def test_attach_inside_a_select_expression_is_refused(tmp_path) -> None:
    target = tmp_path / "other.db"
    result = run_query(SETUP, f"SELECT 1; ATTACH '{target}' AS other")
    assert result.error == sandbox.MULTIPLE_STATEMENTS
    assert not target.exists()


@pytest.mark.usefixtures("stopwatch")
def test_load_extension_is_refused() -> None:
    assert run_query(SETUP, "SELECT load_extension('x')").error == sandbox.NOT_ALLOWED
    assert run_query(SETUP, "SELECT LOAD_EXTENSION('/tmp/x.so', 'init')").error == (
        sandbox.NOT_ALLOWED
    )
    assert_untouched()


@pytest.mark.usefixtures("stopwatch")
def test_fts3_tokenizer_is_refused() -> None:
    assert run_query(SETUP, "SELECT fts3_tokenizer('simple')").error == sandbox.NOT_ALLOWED


@pytest.mark.usefixtures("stopwatch")
@pytest.mark.parametrize(
    "query",
    [
        "PRAGMA writable_schema=1",
        "PRAGMA table_info(t)",
        "SELECT * FROM pragma_table_info('t')",
    ],
)
def test_pragmas_are_refused(query: str) -> None:
    assert run_query(SETUP, query).error == sandbox.NOT_ALLOWED
    assert_untouched()


@pytest.mark.usefixtures("stopwatch")
@pytest.mark.parametrize(
    "query",
    [
        "SELECT 1; DROP TABLE t",
        "SELECT 1;DELETE FROM t;",
        "SELECT 1; SELECT 2",
        "SELECT ';'; SELECT 2",
    ],
)
def test_more_than_one_statement_is_refused(query: str) -> None:
    assert run_query(SETUP, query).error == sandbox.MULTIPLE_STATEMENTS
    assert_untouched()


@pytest.mark.usefixtures("stopwatch")
@pytest.mark.parametrize(
    "query",
    [
        "INSERT INTO t (id, name) VALUES (1000, 'x')",
        "UPDATE t SET name = 'x'",
        "DELETE FROM t",
        "DROP TABLE t",
        "CREATE TABLE u (x)",
        "CREATE TEMP TABLE u (x)",
        "CREATE VIEW v AS SELECT 1",
        "CREATE INDEX i ON t (name)",
        "ALTER TABLE t ADD COLUMN extra TEXT",
        "CREATE VIRTUAL TABLE v USING fts5(x)",
        "WITH x AS (SELECT 1) DELETE FROM t",
        "REPLACE INTO t (id, name) VALUES (1, 'x')",
        "BEGIN",
        "COMMIT",
        "SAVEPOINT s",
        "VACUUM",
        "REINDEX",
        "ANALYZE",
        "DETACH main",
        "EXPLAIN SELECT 1",
    ],
)
def test_writes_schema_changes_and_transactions_are_refused(query: str) -> None:
    assert run_query(SETUP, query).error == sandbox.NOT_ALLOWED
    assert_untouched()


@pytest.mark.usefixtures("stopwatch")
def test_a_recursive_cte_without_an_end_times_out() -> None:
    query = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
    assert run_query(SETUP, query).error == sandbox.QUERY_TIMEOUT


@pytest.mark.usefixtures("stopwatch")
def test_a_huge_cross_join_times_out() -> None:
    query = "SELECT count(*) FROM t a, t b, t c, t d, t e"
    assert run_query(SETUP, query).error == sandbox.QUERY_TIMEOUT
    assert_untouched()


@pytest.mark.usefixtures("stopwatch")
def test_sorting_an_endless_stream_of_blobs_times_out() -> None:
    query = (
        "WITH RECURSIVE c(x) AS (SELECT randomblob(40000) UNION ALL "
        "SELECT randomblob(40000) FROM c) SELECT x FROM c ORDER BY 1"
    )
    assert run_query(SETUP, query).error == sandbox.QUERY_TIMEOUT


@pytest.mark.usefixtures("stopwatch")
@pytest.mark.parametrize(
    "query",
    [
        "SELECT zeroblob(1000000000)",
        "SELECT randomblob(1000000000)",
        "SELECT length(zeroblob(1000000000))",
        "SELECT replace(hex(zeroblob(20000)), '0', '00000')",
        "SELECT group_concat(hex(zeroblob(1000))) FROM t",
    ],
)
def test_giant_values_fail_fast(query: str) -> None:
    assert run_query(SETUP, query).error == sandbox.VALUE_TOO_LARGE


@pytest.mark.usefixtures("stopwatch")
@pytest.mark.parametrize(
    "query",
    [
        "SELECT printf('%.*c', 2147483647, 'x')",
        "SELECT format('%.*c', 1000000000, 'x')",
        "SELECT printf('%.99999999999c', 'x')",
        "SELECT printf('%.*c', '2147483647', 'x')",
    ],
)
def test_printf_with_a_giant_width_gives_null_quickly(query: str) -> None:
    result = run_query(SETUP, query)
    assert result.error is None
    assert result.rows == [(None,)]


def test_printf_still_formats_normally() -> None:
    query = "SELECT printf('%.2f|%5d|%-3s|%%|%*d|%.*c', 3.14159, 42, 'a', 4, 7, 3, 'z')"
    assert run_query(SETUP, query).rows == [("3.14|   42|a  |%|   7|zzz",)]


@pytest.mark.usefixtures("stopwatch")
@pytest.mark.parametrize(
    "condition",
    [
        "instr(hex(zeroblob(24000)) || a.id, hex(zeroblob(12000)) || b.id) > 0",
        "replace(hex(zeroblob(24000)) || a.id, hex(zeroblob(12000)) || b.id, '') IS NULL",
        "hex(zeroblob(24000)) || a.id LIKE '%' || hex(zeroblob(48)) || b.id",
    ],
)
def test_loops_of_quadratic_string_functions_still_time_out(condition: str) -> None:
    query = f"SELECT count(*) FROM t a, t b WHERE {condition}"
    started = time.monotonic()
    assert run_query(SETUP, query).error == sandbox.QUERY_TIMEOUT
    assert time.monotonic() - started < TIME_BUDGET


@pytest.mark.usefixtures("stopwatch")
def test_results_over_the_size_cap_are_refused() -> None:
    query = "SELECT " + ", ".join(["zeroblob(40000)"] * 30)
    assert run_query(SETUP, query).error == sandbox.RESULT_TOO_LARGE


@pytest.mark.usefixtures("stopwatch")
def test_many_rows_over_the_size_cap_are_refused() -> None:
    query = "SELECT hex(zeroblob(20000)) FROM t"
    assert run_query(SETUP, query, max_rows=1_000).error == sandbox.RESULT_TOO_LARGE


@pytest.mark.usefixtures("stopwatch")
def test_a_one_megabyte_query_is_refused_as_too_long() -> None:
    query = "SELECT 1 " + "-" * 1_000_000
    assert run_query(SETUP, query).error == sandbox.QUERY_TOO_LONG
    assert sandbox.QUERY_TOO_LONG == "Your query is too long (max 5,000 characters)."


@pytest.mark.usefixtures("stopwatch")
def test_a_query_with_a_nul_byte_is_refused() -> None:
    assert run_query(SETUP, "SELECT 1\x00; DROP TABLE t").error == sandbox.NUL_IN_QUERY


@pytest.mark.usefixtures("stopwatch")
def test_a_query_with_a_lone_surrogate_is_refused() -> None:
    assert run_query(SETUP, "SELECT '\udcff'").error == sandbox.INVALID_TEXT


@pytest.mark.parametrize("query", ["", "   \n\t", ";", "-- only a comment", "/* just this */"])
def test_empty_and_comment_only_queries_ask_for_a_query(query: str) -> None:
    assert run_query(SETUP, query).error == sandbox.EMPTY_QUERY


@pytest.mark.parametrize("query", [None, b"SELECT 1", 42, ["SELECT 1"]])
def test_non_text_queries_are_refused(query: object) -> None:
    assert run_query(SETUP, query).error == sandbox.NOT_TEXT  # type: ignore[arg-type]


@pytest.mark.usefixtures("stopwatch")
def test_long_results_are_truncated_to_max_rows() -> None:
    result = run_query(SETUP, "SELECT a.id, b.id FROM t a, t b", max_rows=500)
    assert result.error is None
    assert result.truncated
    assert len(result.rows) == 500


def test_results_of_exactly_max_rows_are_not_truncated() -> None:
    result = run_query(SETUP, "SELECT id FROM t", max_rows=100)
    assert not result.truncated
    assert len(result.rows) == 100


@pytest.mark.usefixtures("stopwatch")
def test_deeply_nested_expressions_are_refused_not_crashing() -> None:
    query = "SELECT " + "(" * 2000 + "1" + ")" * 2000
    result = run_query(SETUP, query)
    assert result.error is not None
    assert result.rows == []


def test_reading_the_schema_is_allowed() -> None:
    result = run_query(SETUP, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert result.rows == [("t",)]


# --- compare_results ----------------------------------------------------------------------


def test_results_compare_as_multisets_unless_order_matters() -> None:
    a, b = ok([(1,), (2,), (2,)]), ok([(2,), (1,), (2,)])
    assert compare_results(a, b, order_matters=False)
    assert not compare_results(a, b, order_matters=True)


def test_duplicate_rows_count() -> None:
    assert not compare_results(ok([(1,), (1,)]), ok([(1,)]), order_matters=False)
    assert not compare_results(ok([(1,), (1,), (2,)]), ok([(1,), (2,), (2,)]), order_matters=False)


def test_column_names_are_ignored_but_column_count_matters() -> None:
    left = QueryResult(columns=["total"], rows=[(1,)])
    right = QueryResult(columns=["sum(x)"], rows=[(1,)])
    assert compare_results(left, right, order_matters=True)
    assert not compare_results(ok([(1, 2)], 2), ok([(1, 2)], 3), order_matters=True)


def test_numbers_compare_with_a_small_tolerance() -> None:
    assert compare_results(ok([(0.1 + 0.2,)]), ok([(0.3,)]), order_matters=True)
    assert compare_results(ok([(1,)]), ok([(1.0,)]), order_matters=True)
    assert compare_results(ok([(True,)]), ok([(1,)]), order_matters=True)
    assert compare_results(ok([(100 / 3,)]), ok([(33.333333333333336,)]), order_matters=True)
    assert not compare_results(ok([(33.33,)]), ok([(100 / 3,)]), order_matters=True)
    assert not compare_results(ok([(1,)]), ok([(2,)]), order_matters=True)


def test_null_equals_null_and_nothing_else() -> None:
    assert compare_results(ok([(None,)]), ok([(None,)]), order_matters=True)
    assert not compare_results(ok([(None,)]), ok([(0,)]), order_matters=True)
    assert not compare_results(ok([(None,)]), ok([("",)]), order_matters=True)


def test_strings_compare_exactly() -> None:
    assert not compare_results(ok([("Alice",)]), ok([("alice",)]), order_matters=True)
    assert not compare_results(ok([("1",)]), ok([(1,)]), order_matters=True)
    assert not compare_results(ok([("a ",)]), ok([("a",)]), order_matters=True)


def test_an_error_on_either_side_is_never_equal() -> None:
    broken = QueryResult(error="boom")
    assert not compare_results(broken, ok([]), order_matters=False)
    assert not compare_results(ok([]), broken, order_matters=False)
    assert not compare_results(broken, broken, order_matters=False)


def test_a_truncated_result_is_never_equal() -> None:
    rows = [(i,) for i in range(3)]
    truncated = QueryResult(columns=["x"], rows=rows, truncated=True)
    assert not compare_results(truncated, ok(rows), order_matters=False)


def test_empty_results_with_the_same_column_count_are_equal() -> None:
    assert compare_results(ok([], 2), ok([], 2), order_matters=True)


def test_real_query_results_compare_regardless_of_row_order() -> None:
    reference = run_query(SETUP, "SELECT id, score FROM t WHERE id < 5")
    candidate = run_query(SETUP, "SELECT id AS x, score * 1.0 FROM t WHERE id < 5 ORDER BY id DESC")
    assert compare_results(candidate, reference, order_matters=False)
    assert not compare_results(candidate, reference, order_matters=True)

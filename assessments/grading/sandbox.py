"""A locked-down SQLite sandbox for running candidates' SELECT queries.

Contract: `run_query` never raises. Every run uses a fresh in-memory database, executes the
(trusted) setup script, then locks the connection down so the (untrusted) query can only read:
an authorizer allows reading statements and a few safe actions, limits cap value sizes and
query complexity, and a progress handler enforces a wall-clock deadline. Problems come back as
a short, candidate-facing message in `QueryResult.error`.
"""

from __future__ import annotations

import math
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Wall-clock limit for the candidate's query (seconds).
QUERY_TIMEOUT_SECONDS = 1.0
#: Wall-clock limit for the question's setup script (seconds); it is trusted but may be large.
SETUP_TIMEOUT_SECONDS = 2.0
#: Longest accepted query, in characters.
MAX_QUERY_LENGTH = 5_000
#: Default number of rows kept from a result.
MAX_ROWS = 500
#: Cap on the total size of a result (bytes of text/blob, 8 per number).
MAX_RESULT_BYTES = 1_000_000
#: Cap on any single string, blob or row built by SQLite (SQLITE_LIMIT_LENGTH). Kept small
#: because functions such as instr(), replace() and LIKE cost O(len(a) * len(b)) inside one call,
#: where the progress handler cannot interrupt them; at 50 KB one call stays under ~30 ms.
MAX_VALUE_BYTES = 50_000
#: Largest width or precision printf()/format() may use (larger ones give NULL, as a value over
#: the length limit does): SQLite 3.40 builds "%.*c" one character at a time inside a single
#: function call, where the progress handler cannot stop it.
MAX_PRINTF_WIDTH = 10_000
#: How many SQLite VM instructions between deadline checks: small, so that a loop of costly
#: function calls overshoots the deadline by little (costs ~30% on tight loops).
PROGRESS_INTERVAL = 100

QUERY_TOO_LONG = f"Your query is too long (max {MAX_QUERY_LENGTH:,} characters)."
EMPTY_QUERY = "Enter a SELECT query."
MULTIPLE_STATEMENTS = "Only one SELECT statement is allowed."
NOT_ALLOWED = "This statement is not allowed: only reading queries can run."
QUERY_TIMEOUT = "Your query took too long (limit: 1 second)."
RESULT_TOO_LARGE = f"Your query returned too much data (limit: {MAX_RESULT_BYTES // 1_000_000} MB)."
VALUE_TOO_LARGE = "Your query built a value that is too large."
NUL_IN_QUERY = "Your query contains a NUL character; remove it and try again."
INVALID_TEXT = "Your query contains characters that are not valid text."
NOT_TEXT = "Your query must be text."
NO_PARAMETERS = "Your query uses a parameter (like ?); write the values into the query instead."
OUT_OF_MEMORY = "Your query used too much memory."
QUERY_FAILED = "Your query could not be run."
SETUP_FAILED = "The question's sample data could not be loaded."

# Actions the untrusted query may perform; everything else (ATTACH, PRAGMA, writes, DDL,
# transactions, virtual-table creation, ...) is denied.
_ALLOWED_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
# Functions that touch files, load code or expose pointers. Most are absent from Python's
# SQLite build; they are listed in case a build or extension provides them.
DENIED_FUNCTIONS = frozenset(
    {
        "load_extension",
        "readfile",
        "writefile",
        "edit",
        "fts3_tokenizer",
        "lsmode",
        "realpath",
        "sqlar_compress",
        "sqlar_uncompress",
        "zipfile",
        "zipfile_cds",
        "shell_add_schema",
        "shell_escape_crnl",
        "shell_idquote",
        "shell_module_schema",
        "shell_putsnl",
        "sha3_query",
        "sqlite_dbdata",
        "sqlite_dbpage",
    }
)
# Tables (mostly eponymous virtual tables) the query may not read.
DENIED_TABLES = frozenset({"fsdir", "zipfile", "sqlite_dbpage", "sqlite_dbdata", "sqlite_stmt"})


#: Limits applied after the setup script ran (setup may legitimately exceed some of them).
SQLITE_LIMITS: dict[int, int] = {
    sqlite3.SQLITE_LIMIT_LENGTH: MAX_VALUE_BYTES,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: MAX_QUERY_LENGTH * 4 + 16,  # UTF-8 uses up to 4 bytes a char
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
    sqlite3.SQLITE_LIMIT_COLUMN: 64,  # with LENGTH, bounds one fetched row to ~3 MB
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 100,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 50,
    sqlite3.SQLITE_LIMIT_VDBE_OP: 100_000,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 100,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 100,  # LIKE/GLOB cost text length * pattern length
    sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 10,
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: 1,
}


@dataclass
class QueryResult:
    """What a query returned: column names, rows (at most max_rows), or a candidate-facing error.

    `truncated` is True when the query produced more than max_rows rows.
    """

    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False

    @property
    def ok(self) -> bool:
        """True when the query ran without error."""
        return self.error is None


def _failure(message: str) -> QueryResult:
    return QueryResult(columns=[], rows=[], error=message, truncated=False)


def _skip_trivia(sql: str, start: int = 0) -> int:
    """Index of the first character at or after start that is not whitespace, a comment or ';'."""
    i, n = start, len(sql)
    while i < n:
        ch = sql[i]
        if ch.isspace() or ch == ";":
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end == -1 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end == -1 else end + 2
        else:
            return i
    return n


def _single_statement(query: str) -> str | None:
    """The query's only statement (with its semicolon), or None if more than one is present.

    A statement ends at the first ';' that sqlite3.complete_statement accepts, so semicolons in
    strings, identifiers and comments do not count. Trailing whitespace, comments and extra
    semicolons are allowed.
    """
    pos = query.find(";")
    while pos != -1:
        head = query[: pos + 1]
        if sqlite3.complete_statement(head):
            return head if _skip_trivia(query, pos + 1) == len(query) else None
        pos = query.find(";", pos + 1)
    return query


# Statements starting with these are refused up front. The authorizer is the real guard, but
# REINDEX never reaches it and VACUUM fails with a vaguer message. Other words go to SQLite,
# so typos still get its syntax error.
REFUSED_KEYWORDS = frozenset(
    {
        "alter", "analyze", "attach", "begin", "commit", "create", "delete", "detach", "drop",
        "end", "explain", "insert", "pragma", "reindex", "release", "replace", "rollback",
        "savepoint", "update", "upsert", "vacuum",
    }
)  # fmt: skip


def _first_keyword(sql: str) -> str:
    start = _skip_trivia(sql)
    end = start
    while end < len(sql) and (sql[end].isalnum() or sql[end] == "_"):
        end += 1
    return sql[start:end].lower()


def _check_query(query: object) -> str | None:
    """An error message for queries refused before reaching SQLite, else None."""
    if not isinstance(query, str):
        return NOT_TEXT
    if len(query) > MAX_QUERY_LENGTH:
        return QUERY_TOO_LONG
    if "\x00" in query:
        return NUL_IN_QUERY
    try:
        query.encode("utf-8")
    except UnicodeEncodeError:
        return INVALID_TEXT
    if _skip_trivia(query) == len(query):
        return EMPTY_QUERY
    if _first_keyword(query) in REFUSED_KEYWORDS:
        return NOT_ALLOWED
    return None


def _setup_authorizer(action: int, arg1: Any, arg2: Any, db_name: Any, source: Any) -> int:
    # The setup script is trusted (it comes from the question bank) but must still not reach
    # the file system.
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and str(arg2).lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _authorizer(action: int, arg1: Any, arg2: Any, db_name: Any, source: Any) -> int:
    if action not in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and str(arg2).lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and str(arg1).lower() in DENIED_TABLES:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


_PRINTF_SPEC = re.compile(r"%([-+ #0!,]*)(\*|\d*)(?:\.(\*|\d*))?(l{0,2})(.?)", re.DOTALL)
_LEADING_INT = re.compile(r"\s*[+-]?\d+")


def _as_int(value: object) -> int:
    """SQLite-like integer reading of a printf argument, saturating instead of overflowing."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and abs(value) < 2**63 else 2**63
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = _LEADING_INT.match(value)
        digits = match.group().strip() if match else "0"
        return int(digits) if len(digits) < 12 else 2**63
    return 0


def _printf_is_safe(fmt: object, args: tuple) -> bool:
    """False when a width or precision (literal or from a '*' argument) exceeds the cap."""
    if isinstance(fmt, bytes):
        fmt = fmt.decode("utf-8", "replace")
    if not isinstance(fmt, str):
        return True
    index = 0
    for match in _PRINTF_SPEC.finditer(fmt):
        _flags, width, precision, _length, kind = match.groups()
        if kind == "%":
            continue
        for part in (width, precision):
            if part == "*":
                value = _as_int(args[index]) if index < len(args) else 0
                index += 1
            else:
                value = int(part) if part and len(part) < 12 else (2**63 if part else 0)
            if abs(value) > MAX_PRINTF_WIDTH:
                return False
        index += 1
    return True


class _SafePrintf:
    """printf()/format() replacements that refuse huge widths, then defer to SQLite's own."""

    def __init__(self) -> None:
        self._helper: sqlite3.Connection | None = None

    def install(self, conn: sqlite3.Connection) -> None:
        for name in ("printf", "format"):
            conn.create_function(name, -1, self._bind(name), deterministic=True)

    def _bind(self, name: str) -> Callable[..., object]:
        def call(*args: object) -> object:
            if not args or not _printf_is_safe(args[0], args[1:]):
                return None
            if self._helper is None:
                self._helper = sqlite3.connect(":memory:", isolation_level=None)
                self._helper.text_factory = _decode_text
                self._helper.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            placeholders = ", ".join("?" * len(args))
            return self._helper.execute(f"SELECT {name}({placeholders})", args).fetchone()[0]

        return call

    def close(self) -> None:
        if self._helper is not None:
            self._helper.close()


def _deadline_handler(deadline: float) -> Callable[[], int]:
    def handler() -> int:
        return 1 if time.monotonic() > deadline else 0

    return handler


def _value_size(value: object) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    return 8


def _message_for(exc: BaseException, *, timed_out: bool) -> str:
    text = str(exc)
    lowered = text.lower()
    if timed_out or lowered == "interrupted":
        return QUERY_TIMEOUT
    if "not authorized" in lowered or "authorization denied" in lowered:
        return NOT_ALLOWED
    if "one statement at a time" in lowered:
        return MULTIPLE_STATEMENTS
    if "bindings" in lowered:
        return NO_PARAMETERS
    if "too big" in lowered or "too large" in lowered:
        return VALUE_TOO_LARGE
    if isinstance(exc, MemoryError) or "out of memory" in lowered:
        return OUT_OF_MEMORY
    if isinstance(exc, sqlite3.Error) and text:
        return text if len(text) <= 200 else text[:199] + "…"
    return QUERY_FAILED


def _decode_text(raw: bytes) -> str:
    # Candidates can build invalid UTF-8 (CAST(x'ff' AS TEXT)); never fail on it.
    return raw.decode("utf-8", "replace")


def run_query(
    setup_sql: str,
    query: str,
    *,
    max_rows: int = MAX_ROWS,
    timeout: float = QUERY_TIMEOUT_SECONDS,
) -> QueryResult:
    """Run setup_sql (trusted) then query (untrusted) in a fresh locked-down in-memory database.

    Never raises: any problem is reported in `QueryResult.error`. At most max_rows rows are kept;
    `truncated` says more existed.
    """
    refused = _check_query(query)
    if refused is not None:
        return _failure(refused)
    statement = _single_statement(query)
    if statement is None:
        return _failure(MULTIPLE_STATEMENTS)
    if not isinstance(setup_sql, str):
        return _failure(SETUP_FAILED)
    try:
        max_rows = max(0, int(max_rows))
        timeout = float(timeout) if math.isfinite(float(timeout)) else QUERY_TIMEOUT_SECONDS
    except (TypeError, ValueError, OverflowError):
        return _failure(QUERY_FAILED)

    try:
        conn = sqlite3.connect(":memory:", isolation_level=None)
    except Exception:  # never raise to callers
        return _failure(QUERY_FAILED)
    try:
        conn.text_factory = _decode_text
        try:
            conn.set_progress_handler(
                _deadline_handler(time.monotonic() + SETUP_TIMEOUT_SECONDS), PROGRESS_INTERVAL
            )
            conn.set_authorizer(_setup_authorizer)
            conn.executescript(setup_sql)
        except Exception as exc:
            return _failure(f"{SETUP_FAILED} ({str(exc)[:200] or type(exc).__name__})")
        return _run_locked(conn, statement, max_rows=max_rows, timeout=timeout)
    except BaseException as exc:  # e.g. MemoryError, RecursionError
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return _failure(_message_for(exc, timed_out=False))
    finally:
        conn.close()


def _run_locked(
    conn: sqlite3.Connection, statement: str, *, max_rows: int, timeout: float
) -> QueryResult:
    """Lock the connection down, run the statement and fetch a capped result."""
    for limit, value in SQLITE_LIMITS.items():
        conn.setlimit(limit, value)
    printf = _SafePrintf()
    printf.install(conn)
    conn.set_authorizer(_authorizer)
    deadline = time.monotonic() + timeout
    conn.set_progress_handler(_deadline_handler(deadline), PROGRESS_INTERVAL)

    cursor = conn.cursor()
    try:
        cursor.execute(statement)
        columns = [str(d[0]) for d in cursor.description or ()]
        rows: list[tuple] = []
        size = 0
        truncated = False
        while not truncated:
            # Never fetch past max_rows + 1: one extra row is enough to know there are more.
            batch = cursor.fetchmany(min(100, max_rows + 1 - len(rows)))
            if not batch:
                break
            for row in batch:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                size += sum(_value_size(v) for v in row)
                if size > MAX_RESULT_BYTES:
                    return _failure(RESULT_TOO_LARGE)
                rows.append(tuple(row))
        return QueryResult(columns=columns, rows=rows, error=None, truncated=truncated)
    except Exception as exc:
        return _failure(_message_for(exc, timed_out=time.monotonic() > deadline))
    finally:
        cursor.close()
        printf.close()


#: Significant digits kept when comparing non-integral numbers.
SIGNIFICANT_DIGITS = 9


def _normalise_value(value: object) -> tuple:
    """A hashable, type-tagged form: numbers compare by value (1 == 1.0), strings exactly."""
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("num", int(value))
    if isinstance(value, int):
        return ("num", value)
    if isinstance(value, float):
        if math.isnan(value):
            return ("nan",)
        if value.is_integer() and abs(value) < 2**53:
            return ("num", int(value))
        return ("num", float(f"{value:.{SIGNIFICANT_DIGITS}g}"))
    if isinstance(value, str):
        return ("text", value)
    if isinstance(value, bytes | bytearray | memoryview):
        return ("blob", bytes(value))
    return ("other", repr(value))


def _normalise_row(row: tuple) -> tuple:
    return tuple(_normalise_value(v) for v in row)


def compare_results(candidate: QueryResult, reference: QueryResult, *, order_matters: bool) -> bool:
    """True when both ran, have the same column count and the same rows.

    Column names are ignored; numbers match to SIGNIFICANT_DIGITS digits and 1 == 1.0; NULL
    matches NULL; strings match exactly. Rows are compared as a multiset unless order_matters.
    A truncated result never matches.
    """
    if candidate.error is not None or reference.error is not None:
        return False
    if candidate.truncated or reference.truncated:
        return False
    if len(candidate.columns) != len(reference.columns):
        return False
    if len(candidate.rows) != len(reference.rows):
        return False
    mine = [_normalise_row(r) for r in candidate.rows]
    theirs = [_normalise_row(r) for r in reference.rows]
    if any(len(r) != len(candidate.columns) for r in mine):
        return False
    if any(len(r) != len(reference.columns) for r in theirs):
        return False
    if order_matters:
        return mine == theirs
    return Counter(mine) == Counter(theirs)

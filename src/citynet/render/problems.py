"""Problems in the input as a person reads them on a terminal: never more than a screenful."""

from __future__ import annotations

from collections.abc import Sequence

from citynet._errors import Problem
from citynet.render.words import safe

__all__ = ["SHOWN", "problem_lines"]

SHOWN = 25
"""Up to this many problems are printed one a line; more are grouped."""


def problem_lines(
    problems: Sequence[Problem],
    *,
    listing: str | None = None,
    kind: str = "error",
    tail: str | None = None,
) -> list[str]:
    """Lines for stderr: each problem, or above :data:`SHOWN`, groups with counts and rows.

    Problems of one file, column and message form a group: its count, the first rows and the
    first values. The last line (``tail``) says how many were found, and where the full list
    is; ``kind`` starts each line (``error``, ``warning``).

    Examples
    --------
    >>> many = [Problem("t.csv", "is not a year", row=r, column="Year", value="NA")
    ...         for r in range(2, 40)]
    >>> problem_lines(many)[:2]
    ["error: t.csv: Year 'NA' is not a year: 38 rows (2, 3, 4, 5, 6 and 33 more)", \
'citynet: 38 problems found; nothing was loaded']
    """
    n = len(problems)
    if tail is None:
        tail = f"citynet: {n:,} problem{'s' if n != 1 else ''} found; nothing was loaded"
    if listing:
        tail += f" (all of them: {listing})"
    if n <= SHOWN:
        return [f"{kind}: {safe(str(problem))}" for problem in problems] + [tail]
    groups: dict[tuple[str, str | None, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.column, problem.message), []).append(problem)
    lines = []
    for (file, column, message), members in sorted(groups.items(), key=lambda kv: -len(kv[1]))[
        :SHOWN
    ]:
        rows = [p.row for p in members if p.row is not None]
        values = list(dict.fromkeys(p.value for p in members if p.value is not None))
        what = f"{column} " if column else ""
        if values:
            what += repr(safe(values[0])) + (f" (and {len(values) - 1:,} other values)"
                                             if len(values) > 1 else "") + " "  # fmt: skip
        shown = ", ".join(map(str, rows[:5])) + (
            f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
        )
        count = f": {len(members):,} rows ({shown})" if rows else f": {len(members):,} times"
        lines.append(f"{kind}: {safe(file)}: {safe(what)}{safe(message)}{count}")
    if len(groups) > SHOWN:
        lines.append(f"... and {len(groups) - SHOWN:,} more kinds of problem")
    return [*lines, tail]

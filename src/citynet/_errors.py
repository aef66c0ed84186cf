"""The citynet exception family.

Every error citynet raises on purpose is a :class:`CitynetError`. Problems in user data are
gathered, never raised one at a time: a :class:`DataError` carries every :class:`Problem` found,
each naming the file, the row as a spreadsheet user counts it (header = row 1), the column and
the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CitynetError", "DataError", "Problem"]


class CitynetError(Exception):
    """Base class of every error citynet raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    Parameters
    ----------
    file
        File name (e.g. ``"memberships.csv"``), or a table name for in-memory frames.
    message
        What is wrong and what was expected.
    row
        Row as a spreadsheet counts it (the header is row 1); ``None`` for file-level problems.
    column
        Column name, if the problem is about one column.
    value
        The offending value, exactly as given.

    Examples
    --------
    >>> str(Problem("cities.csv", "is not unique", row=3, column="city_id", value="paris"))
    "cities.csv:3: city_id 'paris' is not unique"
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        what = ""
        if self.column is not None:
            what = self.column if self.value is None else f"{self.column} {self.value!r}"
            what += " "
        return f"{where}: {what}{self.message}"


class DataError(CitynetError, ValueError):
    """Input data break the data contract; :attr:`problems` lists every problem found.

    Examples
    --------
    >>> err = DataError([Problem("cities.csv", "file is empty")])
    >>> err.problems[0].file
    'cities.csv'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        head = "1 problem in the data" if n == 1 else f"{n} problems in the data"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))

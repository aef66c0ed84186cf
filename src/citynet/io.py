"""Reading and writing landscape files: strict CSV in, atomic CSV out.

Reading never lets pandas guess. Every cell arrives as the exact text of the file: ``NA`` (Namibia),
``null``, ``None`` and ``nan`` stay text, ids such as ``007`` keep their leading zeros, and a row
with too many or too few fields is reported rather than dropped or padded. Encoding and delimiter
mistakes are reported with their place in the file.

Writing goes through :func:`atomic_write`: a temporary file in the target folder, renamed over the
target only once it is complete, so a failed write never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

from citynet._errors import CitynetError, Problem

__all__ = [
    "FORMULA_START",
    "atomic_write",
    "csv_text",
    "neutralize",
    "read_table_fast",
    "read_table_text",
    "write_csv",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with these is run as a formula by spreadsheets (CSV injection)."""


def neutralize(value: Any) -> Any:
    """Return ``value`` safe for a spreadsheet: formula-like text gets a leading ``'``.

    Applied to every report citynet writes as CSV or XLSX (``--format csv``, the Kumu export);
    not to the landscape's own files (:meth:`~citynet.Landscape.save`), which are data and
    keep every value exactly. Numbers stay numbers: -33.92 is written as a number.

    Examples
    --------
    >>> neutralize("=HYPERLINK(1)"), neutralize(-33.92), neutralize("-33.92"), neutralize("Paris")
    ("'=HYPERLINK(1)", -33.92, "'-33.92", 'Paris')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> str:
    r"""Return a report table as formula-safe CSV text (missing values empty, CRLF rows).

    Examples
    --------
    >>> import pandas as pd
    >>> csv_text(pd.DataFrame({"name": ["=1+1", "Paris"], "load": [1.5, None]}))
    "name,load\r\n'=1+1,1.5\r\nParis,\r\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow(
            [
                ""
                if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                else neutralize(v)
                for v in row
            ]
        )
    return buffer.getvalue()


_BOM = "\ufeff"


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    """Decode UTF-8 (with or without BOM), reporting the row and byte of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1]
        problems.append(
            Problem(
                file,
                f"is not UTF-8: byte 0x{bad.hex()} at line {row}, character "
                f"{exc.start - line_start + 1}; save the file as 'CSV UTF-8' "
                "(Latin-1 or Windows-1252 files need converting)",
            )
        )
        return None
    return text.removeprefix(_BOM)


MAX_FIELD = 1 << 30
"""The longest cell read (Python's csv module stops at 131,072 characters by default)."""
MAX_FILE_BYTES = 1 << 30
"""The largest file read (1 GiB); larger ones are refused with a message, not read."""


def _records(text: str, name: str, problems: list[Problem]) -> list[list[str]] | None:
    """Parse CSV text; an unterminated quoted field is an error naming the row it opened on.

    Python's csv module in its lenient mode reads an unterminated quote to the end of the file,
    turning every later row into one cell; the strict parse finds it, and the lenient one then
    reads what remains (quotes inside unquoted fields, as spreadsheets write them).
    """
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    started = 1
    count = 0
    try:
        for _ in reader:
            count += 1
            started = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error) or "EOF" in str(error):
            problems.append(
                Problem(
                    name,
                    f"a quoted field opens on line {started} and never closes, so every later "
                    "row would be read as part of one cell; close the quote (or remove it)",
                    row=count + 1,
                )
            )
            return None
    return list(csv.reader(io.StringIO(text, newline=""), strict=False))


def read_table_text(
    path: Path, *, file: str | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    r"""Read one CSV file as text cells, exactly as written.

    Parameters
    ----------
    path
        The CSV file (UTF-8, comma-separated, header row; a UTF-8 BOM is accepted).
    file
        Name used in problems; defaults to the file name.

    Returns
    -------
    frame, problems
        ``frame`` has one ``str`` column per header field (every cell a string, ``""`` for
        empty) and an index of spreadsheet row numbers (header = row 1); it is ``None`` when the
        file cannot be read at all. ``problems`` lists what is wrong with the file's shape.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cities.csv"
    >>> _ = p.write_text("city_id,name,country\nwindhoek,Windhoek,NA\n", encoding="utf-8")
    >>> frame, problems = read_table_text(p)
    >>> frame.loc[2, "country"], problems
    ('NA', [])
    """
    name = file or path.name
    problems: list[Problem] = []
    if not path.is_file():
        problems.append(Problem(name, f"file not found: {path}"))
        return None, problems
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            Problem(
                name,
                f"is {size:,} bytes, more than the {MAX_FILE_BYTES:,} citynet reads (split "
                "the landscape, or keep only the columns of the data contract)",
            )
        )
        return None, problems
    data = path.read_bytes()
    if not data.strip():
        problems.append(Problem(name, "file is empty (expected a header row)"))
        return None, problems
    text = _decode(data, name, problems)
    if text is None:
        return None, problems
    records = _records(text, name, problems)
    if records is None:
        return None, problems
    header = records[0] if records else []
    if len(header) <= 1 and header:
        only = header[0]
        for sep, label in ((";", "semicolons"), ("\t", "tabs")):
            if sep in only:
                problems.append(
                    Problem(
                        name,
                        f"the header is separated by {label}, not commas; save the file as "
                        "comma-separated CSV (spreadsheets in some locales use ';')",
                        row=1,
                    )
                )
                return None, problems
    seen: dict[str, int] = {}
    for i, col in enumerate(header):
        if col in seen:
            problems.append(
                Problem(
                    name,
                    f"appears twice in the header (fields {seen[col] + 1} and {i + 1})",
                    row=1,
                    column=col,
                )
            )
        seen.setdefault(col, i)
        if col.strip() == "" and i == 0 and len(header) > 1:
            problems.append(
                Problem(
                    name,
                    "the header's first field is empty: a table written with row names (R's "
                    "write.csv); write it without them (row.names = FALSE) or name the column",
                    row=1,
                )
            )
        elif col.strip() == "":
            problems.append(Problem(name, f"header field {i + 1} is empty", row=1))
    width = len(header)
    # Rows as spreadsheets number them: the header is row 1; blank lines carry no data.
    numbers = [
        n
        for n, record in enumerate(records[1:], start=2)
        if record and not (len(record) == 1 and record[0] == "" and width > 1)
    ]
    body = [records[n - 1] for n in numbers]
    if body and all(len(r) == width + 1 for r in body):
        problems.append(
            Problem(
                name,
                f"every row has {width + 1} fields and the header {width}: the layout of R's "
                "write.table with row names (the first field of each row has no header), so "
                "every value would be read one column off; write it with row.names = FALSE",
                row=1,
            )
        )
        return None, problems
    for number, record in zip(numbers, body, strict=True):
        if len(record) != width:
            problems.append(
                Problem(name, f"has {len(record)} fields, the header has {width}", row=number)
            )
    if problems:
        return None, problems
    columns = list(zip(*body, strict=True)) if body else [() for _ in header]
    frame = pd.DataFrame({i: pd.Series(col, dtype=object) for i, col in enumerate(columns)})
    frame.columns = pd.Index(header, dtype=object)
    frame.index = pd.Index(numbers, dtype="int64", name="row")
    return frame, problems


def _file_mode(target: Path) -> int:
    """Mode for a new file: the old file's mode if there is one, else 0o666 less the umask."""
    if target.exists():
        return target.stat().st_mode & 0o7777
    return 0o666 & ~_umask()


def read_table_fast(path: Path) -> pd.DataFrame | None:
    """Read a clean CSV file with pandas' C parser, exactly as text; ``None`` if unsure.

    The fast path for large, well-formed files. It gives up (returns ``None``) whenever the
    strict reader could see something it does not: a decoding or parsing error, a short row
    (pandas would pad it), a header that pandas would rename (duplicates) or that is not
    comma-separated. Its index is the provisional row number ``2..n+1``, exact only without
    blank lines or line breaks inside quotes: callers that report problems re-read the file
    with :func:`read_table_text` to name rows exactly.
    """
    if not path.is_file() or not 0 < path.stat().st_size <= MAX_FILE_BYTES:
        return None
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8-sig",
            engine="c",
            skip_blank_lines=True,
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if not isinstance(frame.index, pd.RangeIndex):  # rows longer than the header (row names)
        return None
    columns = [str(c) for c in frame.columns]
    if len(columns) <= 1 or any(c.strip() == "" or c.startswith("Unnamed:") for c in columns):
        return None
    stems = {re.sub(r"\.\d+$", "", c) for c in columns}
    if len(stems) != len(columns) or frame.isna().to_numpy().any():
        return None
    frame = frame.astype(object)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, mode: str = "w") -> Iterator[IO[Any]]:
    """Open ``path`` for writing so that it is replaced only when the block succeeds.

    Text mode (``"w"``) writes UTF-8 whatever the locale; ``"wb"`` writes bytes. The data go to
    a temporary file in the same folder, are flushed and synced, and the temporary file is renamed
    over ``path``; missing folders are created; a symbolic link is followed (the file it points
    to is replaced, the link stays). If the block raises (or the CLI gets SIGTERM), the
    temporary file is removed and any old ``path`` is left untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p) as fh:
    ...     _ = fh.write("done")
    >>> p.read_text()
    'done'
    """
    target = Path(path)
    if target.is_symlink():  # a link is followed: the file it points to is replaced, not it
        target = target.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise CitynetError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        options: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **options) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    r"""Write ``frame`` (cells already formatted as text) as UTF-8 CSV, atomically.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"a": ["NA", "x,y"]}), p)
    >>> p.read_bytes()
    b'a\r\nNA\r\n"x,y"\r\n'
    """
    with atomic_write(path) as fh:
        # CRLF, as RFC 4180 says; it also makes the writer quote a field holding a lone "\r",
        # which a reader would otherwise take for the end of the row.
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(list(frame.columns))
        writer.writerows(frame.itertuples(index=False, name=None))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(done == 0)


def replace_folder(
    folder: str | os.PathLike[str], write: Callable[[Path], None], owned: Iterable[str]
) -> Path:
    r"""Write a folder as one unit: readers see the old files or the new ones, never a mix.

    ``write(tmp)`` fills a new sibling folder; it then takes the old one's place in one step
    (an atomic exchange of the two folders where the system has it, else two renames). Files of
    the old folder that ``write`` does not own (a README, a report) are carried over; files in
    ``owned`` that the new landscape does not have (a stale ``capacity.csv``) are not. Killed at
    any moment, the folder holds the old files or the new ones; leftovers are hidden siblings
    (``.NAME.saving-PID-*``), removed by the next save once their process is gone, so that two
    saves at once never remove each other's work.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "land"
    >>> _ = replace_folder(d, lambda t: (t / "a.csv").write_text("1"), ["a.csv", "b.csv"])
    >>> _ = (d / "b.csv").write_text("stale"); _ = (d / "README").write_text("mine")
    >>> _ = replace_folder(d, lambda t: (t / "a.csv").write_text("2"), ["a.csv", "b.csv"])
    >>> sorted(p.name for p in d.iterdir()), (d / "a.csv").read_text()
    (['README', 'a.csv'], '2')
    """
    target = Path(folder)
    if target.is_symlink():
        target = target.resolve()  # write where the link points, keep the link
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for stale in parent.glob(f".{target.name}.saving-*"):
            if not _alive(stale.name.split(".saving-")[-1].split("-")[0]):
                shutil.rmtree(stale, ignore_errors=True)  # left by a save that was killed
        prefix = f".{target.name}.saving-{os.getpid()}-"
        tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    except OSError as error:
        raise CitynetError(f"cannot write {folder}: {error.strerror or error}") from None
    try:
        write(tmp)  # its own errors (a full disk) propagate as they are
        try:
            _swap_in(tmp, target, parent, prefix, owned)
            tmp = None  # type: ignore[assignment]
        except OSError as error:
            raise CitynetError(f"cannot write {folder}: {error.strerror or error}") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return Path(folder)


def _swap_in(tmp: Path, target: Path, parent: Path, prefix: str, owned: Iterable[str]) -> None:
    """Put the written folder ``tmp`` in ``target``'s place (see :func:`replace_folder`)."""
    owned_names = set(owned)
    if target.is_dir():
        for item in target.iterdir():
            if item.name not in owned_names and not (tmp / item.name).exists():
                if item.is_dir() and not item.is_symlink():
                    shutil.copytree(item, tmp / item.name, symlinks=True)
                else:
                    shutil.copy2(item, tmp / item.name, follow_symlinks=False)
        os.chmod(tmp, target.stat().st_mode & 0o7777)
    elif target.exists():
        raise NotADirectoryError(20, "it is a file, not a folder")
    else:
        os.chmod(tmp, 0o777 & ~_umask())
    _sync_dir(tmp)
    if not target.exists():
        os.replace(tmp, target)
    elif _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # now the old folder
    else:
        # two renames: between them the folder is briefly absent, never mixed
        old = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        old.rmdir()
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    _sync_dir(parent)


def _alive(pid: str) -> bool:
    """Whether the process of a save's temporary folder still runs (so it is not a leftover)."""
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _umask() -> int:
    """Return the process's umask, read without changing it where the system allows (Linux).

    Setting the umask to read it (``os.umask(0)``) would, for a moment, let files that another
    thread creates come out world-writable.
    """
    global _UMASK
    if _UMASK is None:
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                line = next(x for x in fh if x.startswith("Umask:"))
            _UMASK = int(line.split()[1], 8)
        except (OSError, StopIteration, ValueError, IndexError):
            mask = os.umask(0o022)
            os.umask(mask)
            _UMASK = mask
    return _UMASK


_UMASK: int | None = None


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

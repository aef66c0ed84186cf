"""Reading a published table (CSV in any common layout, or XLSX) as rows of text cells.

The reader finds what a person would see when opening the file, and says what it did:

* **encodings**: UTF-8 (with or without BOM), UTF-16, cp1252; a file that is UTF-8 but for some
  lines (one pasted row from an old spreadsheet) is read line by line, and the lines that were
  not UTF-8 are named (``how["cp1252_lines"]``), never read as mojibake;
* **the header row**: a title or group header row above the real header (``,,Networks,,``) is
  found and named (``how["header_row"]``); rows keep the numbers a spreadsheet shows;
* **columns**: blank trailing columns are dropped and counted, a column with data but no header
  is kept as ``column N``, R's row names (an unnamed first column 1, 2, 3, ...) are dropped;
* **quoting**: whether a missing-value token was quoted, so that R's quoted ``"NA"`` (Namibia)
  and its unquoted ``NA`` (missing) stay apart (``how["quoted_tokens"]``);
* **XLSX**: a workbook that would expand to more than :data:`MAX_XLSX_XML` bytes of XML is
  refused before it is read (a zip bomb takes a few kilobytes), and formulas without a saved
  value are refused with the fix, never read as empty cells.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from citynet._errors import DataError, Problem
from citynet.cells import MISSING
from citynet.io import MAX_FILE_BYTES
from citynet.validate import cell_text

__all__ = ["MAX_XLSX_XML", "read_table"]

MAX_XLSX_XML = 256 * 1024 * 1024
"""The most XML an XLSX workbook may expand to (256 MiB, some millions of cells)."""

_HEADER_SCAN = 12


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} TB"  # pragma: no cover


# -- CSV ------------------------------------------------------------------------------------------
def _decode(raw: bytes) -> tuple[str, str, list[int]]:
    """Decode the bytes: (text, encoding, lines that were cp1252 in a UTF-8 file)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, bom = raw[3:], True
    else:
        bom = False
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16", []
    try:
        return raw.decode("utf-8"), "utf-8-sig" if bom else "utf-8", []
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    text: list[str] = []
    foreign: list[int] = []
    utf8_letters = 0
    for number, line in enumerate(lines, start=1):
        try:
            text.append(line.decode("utf-8"))
            utf8_letters += not line.isascii()
        except UnicodeDecodeError:
            text.append(line.decode("cp1252", errors="replace"))
            foreign.append(number)
    if utf8_letters == 0:  # nothing was UTF-8 beyond ASCII: the whole file is cp1252
        return raw.decode("cp1252", errors="replace"), "cp1252", []
    return "\n".join(text), "utf-8, some lines cp1252", foreign


def _sniff(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _quoted_tokens(text: str, delimiter: str, rows: list[list[str]]) -> set[tuple[int, int]]:
    """(row index, column index) of missing-value tokens that were written in quotes."""
    bare = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                           quoting=csv.QUOTE_NONE))  # fmt: skip
    if len(bare) != len(rows):  # a quoted field spans lines: quoting cannot be told per cell
        return set()
    tokens = set(MISSING) - {""}
    out: set[tuple[int, int]] = set()
    for i, (row, raw) in enumerate(zip(rows, bare, strict=True)):
        if len(row) != len(raw):
            continue
        for j, cell in enumerate(row):
            if cell.strip() in tokens and raw[j].lstrip().startswith('"'):
                out.add((i, j))
    return out


def _closed_quotes(text: str, delimiter: str, label: str) -> None:
    """Refuse a quoted field that never closes: every later row would be read as one cell."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    started = 1
    try:
        for _ in reader:
            started = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error) or "EOF" in str(error):
            raise DataError(
                [
                    Problem(
                        label,
                        f"a quoted field opens on line {started} and never closes, so every later "
                        "row would be read as part of one cell; close the quote (or remove it)",
                        row=started,
                    )
                ]
            ) from None


def _read_csv(file: Path, label: str) -> tuple[list[list[str]], dict[str, Any]]:
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(
            [
                Problem(
                    label, f"is {_size(size)}, more than the {_size(MAX_FILE_BYTES)} citynet reads"
                )
            ]
        )
    raw = file.read_bytes()
    head = raw[:65536]
    if (b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))) or head.startswith(
        b"PK\x03\x04"
    ):
        kind = "a zip archive (an XLSX saved as .csv?)" if head.startswith(b"PK") else "binary data"
        raise DataError([Problem(label, f"is not a text table: it holds {kind}")])
    text, encoding, foreign = _decode(raw)
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0.01 * min(len(text), 65536):
        raise DataError(
            [Problem(label, f"is not a text table: {controls:,} control characters in its start")]
        )
    delimiter = _sniff(text)
    _closed_quotes(text, delimiter, label)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    how: dict[str, Any] = {
        "encoding": encoding,
        "delimiter": delimiter,
        "sheet": None,
        "unreadable_characters": text.count("\ufffd"),
        "cp1252_lines": foreign,
        "text_quoted": bool(rows) and bool(rows[0]) and text.lstrip("\ufeff").startswith('"'),
    }
    how["quoted_tokens_at"] = _quoted_tokens(text, delimiter, rows)
    return rows, how


# -- XLSX -----------------------------------------------------------------------------------------
_FORMULA = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)\s*'
    rb"(?:<v>\s*</v>|<v\s*/>)?\s*</c>"
)


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the part (file) that holds it, read from the workbook's own index."""
    try:
        workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {
        m["id"]: m["target"]
        for m in re.finditer(r'<Relationship\b(?=[^>]*\bId="(?P<id>[^"]+)")'
                             r'(?=[^>]*\bTarget="(?P<target>[^"]+)")[^>]*>', rels)
    }  # fmt: skip
    out: dict[str, str] = {}
    for m in re.finditer(
        r'<sheet\b(?=[^>]*\bname="(?P<name>[^"]*)")(?=[^>]*\br:id="(?P<id>[^"]+)")[^>]*>',
        workbook,
    ):
        target = targets.get(m["id"], "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[m["name"]] = part
    return out


def _check_xlsx(file: Path, label: str, sheet: str | int | None) -> None:
    """Refuse a workbook that would expand too far, or whose sheet holds formulas without values."""
    try:
        book = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError([Problem(label, f"is not a readable XLSX workbook ({exc})")]) from None
    with book:
        expanded = sum(info.file_size for info in book.infolist())
        if expanded > MAX_XLSX_XML:
            raise DataError(
                [
                    Problem(
                        label,
                        f"would expand to {_size(expanded)} of XML when opened (a "
                        f"{_size(file.stat().st_size)} file; citynet opens at most "
                        f"{_size(MAX_XLSX_XML)}): save the sheet as CSV and import that",
                    )
                ]
            )
        parts = _sheet_parts(book)
        names = list(parts)
        if isinstance(sheet, int):
            name = names[sheet] if 0 <= sheet < len(names) else None
        elif sheet is None:
            name = names[0] if names else None
        else:
            name = sheet if sheet in parts else None
        if name is None:
            return  # pandas names the missing sheet
        try:
            xml = book.read(parts[name])
        except KeyError:
            return
        empty = [m.group(1).decode() for m in _FORMULA.finditer(xml)]
        if empty:
            shown = ", ".join(empty[:5]) + (
                f" and {len(empty) - 5:,} more" if len(empty) > 5 else ""
            )
            raise DataError(
                [
                    Problem(
                        f"{file.name}[{name}]",
                        f"cells {shown} hold formulas without a saved value (the program that "
                        "wrote the file did not compute them): open it in Excel or LibreOffice "
                        "and save it, or export the sheet as CSV",
                    )
                ]
            )


def _read_xlsx(
    file: Path, label: str, sheet: str | int | None
) -> tuple[list[list[str]], dict[str, Any]]:
    _check_xlsx(file, label, sheet)
    try:
        frame = pd.read_excel(
            file,
            sheet_name=sheet or 0,
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
        )
    except ImportError as exc:
        raise DataError(
            [Problem(label, f"reading XLSX needs openpyxl ({exc}); pip install 'citynet[xlsx]'")]
        ) from None
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise DataError([Problem(label, str(exc).strip("'\""))]) from None
    rows = [[cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    how: dict[str, Any] = {
        "encoding": "xlsx",
        "delimiter": "",
        "sheet": sheet or 0,
        "unreadable_characters": 0,
        "cp1252_lines": [],
        "text_quoted": False,
        "quoted_tokens_at": set(),
    }
    return rows, how


# -- the header and the columns -------------------------------------------------------------------
def _header_index(rows: list[list[str]]) -> int:
    """Return the header row's index: the first opening row about as full as the widest."""
    opening = rows[:_HEADER_SCAN]
    filled = [sum(1 for c in r if c.strip()) for r in opening]
    widest = max(filled, default=0)
    for i, count in enumerate(filled):
        if count >= 2 and count >= 0.6 * widest:
            return i
    return 0


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def read_table(
    path: str | os.PathLike[str], *, sheet: str | int | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    r"""Read a CSV (any common delimiter and encoding) or XLSX table as text cells.

    Returns the cells (index: the row number as a spreadsheet shows it; headers trimmed) and
    what was found: ``encoding``, ``delimiter``, ``sheet``, ``header_row``, ``above_header``
    (the text of rows above it), ``empty_columns`` (blank columns dropped), ``unnamed_columns``,
    ``row_names`` (R's row names dropped), ``cp1252_lines``, ``text_quoted`` and
    ``quoted_tokens`` ({column: {row}} of missing-value tokens written in quotes).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes(",Networks,\nname;country;C40;;\nZürich;CH;1;;\n".encode("utf-8"))
    >>> frame, how = read_table(p)
    >>> frame.loc[3, "name"], how["delimiter"], how["header_row"], how["empty_columns"]
    ('Zürich', ';', 2, 2)
    """
    file = Path(path)
    label = file.name
    if not file.is_file():
        raise DataError([Problem(label, f"file not found: {file}")])
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        rows, how = _read_xlsx(file, label, sheet)
    else:
        rows, how = _read_csv(file, label)
    rows_nonblank = [i for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not rows_nonblank:
        raise DataError([Problem(label, "is empty (no header row)")])
    first = rows_nonblank[0]
    start = first + _header_index(rows[first:])
    headers = [h.strip() for h in rows[start]]
    how["header_row"] = start + 1
    how["above_header"] = [
        " | ".join(c.strip() for c in rows[i] if c.strip()) for i in range(start)
    ]
    body = rows[start + 1 :]
    width = len(headers)
    longer = [i for i, r in enumerate(body) if len(r) > width and any(c.strip() for c in r[width:])]
    if len(longer) > len(body) / 2:  # most rows are wider: columns without a header
        width = max(len(r) for r in body)
        longer = [i for i, r in enumerate(body) if len(r) > width]
    headers += [""] * (width - len(headers))
    how["long_rows"] = {start + 2 + i: len(body[i]) for i in longer}
    how["width"] = width
    grid = [(r + [""] * width)[:width] for r in body]
    cells = pd.DataFrame(grid, columns=range(width), dtype=object)
    cells = cells.map(lambda v: str(v).strip()) if len(cells) else cells
    numbers = pd.RangeIndex(start + 2, start + 2 + len(cells), name="row")
    quoted_at: set[tuple[int, int]] = how.pop("quoted_tokens_at")
    keep: list[int] = []
    names: list[str] = []
    empty = unnamed = 0
    row_names = False
    for j, header in enumerate(headers):
        column = cells[j] if len(cells) else pd.Series([], dtype=object)
        if re.fullmatch(r"Unnamed: \d+", header) and how["encoding"] == "xlsx":
            header = ""
        if not header:
            if not (column != "").any():
                empty += 1
                continue
            if j == 0 and list(column) == [str(i) for i in range(1, len(column) + 1)]:
                row_names = True
                continue
            header = f"column {_letters(j)}"
            unnamed += 1
        keep.append(j)
        names.append(header)
    duplicated = [h for h, n in Counter(names).items() if n > 1]
    if duplicated:
        raise DataError(
            [
                Problem(label, f"column {h!r} appears more than once in the header", row=start + 1)
                for h in duplicated
            ]
        )
    quoted: dict[str, set[int]] = {}
    for i, j in quoted_at:
        if i > start and j in keep:
            quoted.setdefault(names[keep.index(j)], set()).add(int(numbers[i - start - 1]))
    cells = cells[keep] if len(cells) else pd.DataFrame(columns=range(len(keep)), dtype=object)
    cells.columns = pd.Index(names)
    cells.index = numbers
    how.update(
        empty_columns=empty,
        unnamed_columns=unnamed,
        row_names=row_names,
        quoted_tokens=quoted,
    )
    return cells, how

"""The import report in words: ``import-report.md`` in full, and a screenful for the terminal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from citynet.render.words import plural, safe

__all__ = ["cell_groups", "import_summary", "import_text"]


def _rows(rows: list[int], limit: int = 20) -> str:
    shown = ", ".join(map(str, rows[:limit]))
    return shown + (f" and {len(rows) - limit:,} more" if len(rows) > limit else "")


def cell_groups(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group the cells that could not be used by column, problem, value and what was done.

    Returns one entry per group, largest first: ``column``, ``value``, ``problem``, ``done``,
    ``rows``. Values are grouped as given; a group of one column and problem with many values
    keeps each value's own count.

    Examples
    --------
    >>> cells = [{"row": 2, "column": "Year", "value": "soon", "problem": "is not a year",
    ...           "done": "since left empty"}] * 2
    >>> cell_groups(cells)[0]["rows"]
    [2, 2]
    """
    groups: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for cell in cells:
        key = (cell["column"], cell["value"], cell["problem"], cell["done"])
        groups[key].append(cell["row"])
    out = [
        {"column": c, "value": v, "problem": p, "done": d, "rows": rows}
        for (c, v, p, d), rows in groups.items()
    ]
    return sorted(out, key=lambda g: (-len(g["rows"]), g["column"], g["value"]))


def _cell_line(group: dict[str, Any], limit: int) -> str:
    rows = group["rows"]
    value = repr(safe(group["value"])) if group["value"] else "(empty)"
    where = f"row {rows[0]}" if len(rows) == 1 else f"{len(rows):,} rows ({_rows(rows, limit)})"
    return f"{safe(group['column'])} {value} {group['problem']}: {group['done']}, {where}"


def _accounting(report: Any) -> str:
    from citynet.importers import REPEATED

    made = "cities" if report.kind == "wide" else "memberships"
    repeated = report.skipped.get(REPEATED, 0)
    skipped = sum(report.skipped.values()) - repeated
    return (
        f"Every row accounted for: {report.imported_rows:,} of {report.rows:,} became {made}"
        + (f", {repeated:,} repeated an earlier row (merged)" if repeated else "")
        + (f", {skipped:,} skipped (reasons below)" if skipped else "")
        + "."
    )


def import_text(report: Any) -> str:
    """Return the import report as Markdown text: every skipped row, every unused cell.

    Examples
    --------
    >>> from citynet.importers import ImportReport
    >>> r = ImportReport("t.csv", "wide", 2, {"encoding": "utf-8", "delimiter": ",", "sheet": None},
    ...                  {"name": "City"}, ["name"], cities=2, networks=1, memberships=2)
    >>> "Column roles" in import_text(r)
    True
    """
    read = report.read
    how = (
        f"sheet {read['sheet']}" if read.get("encoding") == "xlsx"
        else f"encoding {read['encoding']}, delimiter {read['delimiter']!r}"
    )  # fmt: skip
    lines = [
        f"# Import of {report.source} ({report.kind} table)",
        "",
        f"Read {plural(report.rows, 'row')} ({how}): {plural(report.cities, 'city', 'cities')}, "
        f"{plural(report.networks, 'network')}, {plural(report.memberships, 'membership')}.",
        "",
        _accounting(report),
        "",
        "## Column roles",
        "",
    ]
    if read.get("unreadable_characters"):
        lines[3:3] = [
            "",
            f"{plural(read['unreadable_characters'], 'character')} could not be read in "
            f"{read['encoding']} and show as \ufffd: save the table as UTF-8 to keep them.",
        ]
    for role, header in report.roles.items():
        guessed = " (guessed from the header)" if role in report.guessed else ""
        lines.append(f"- {role}: `{header}`{guessed}")
    if report.kept:
        lines += ["", "Kept as extra city columns: " + ", ".join(f"`{h}`" for h in report.kept)]
    lines += ["", "## Missing values", ""]
    if report.missing:
        lines += [
            f"- {column}: {count:,} cells (read as missing)"
            for column, count in sorted(report.missing.items())
        ]
    else:
        lines.append("- none written as NA, N/A, NULL, -, ... (empty cells are not counted)")
    lines += ["", "## Converted", ""]
    if report.converted:
        for what, count in sorted(report.converted.items()):
            example = report.examples.get(what)
            lines.append(f"- {what}: {count:,}" + (f" (e.g. {example})" if example else ""))
    else:
        lines.append("- nothing: the table was already in the contract's form")
    if report.statuses:
        lines += ["", "## Statuses", ""]
        for value, entry in sorted(report.statuses.items(), key=lambda kv: -kv[1]["rows"]):
            note = f"; {entry['note']}" if entry.get("note") else ""
            lines.append(f"- {value!r}: {entry['rows']:,} rows, read as {entry['read_as']}{note}")
    lines += ["", "## Cells that could not be used", ""]
    if report.cells:
        lines += [f"- {_cell_line(g, 50)}" for g in cell_groups(report.cells)]
    else:
        lines.append("- none")
    lines += ["", "## Skipped rows", ""]
    if report.skipped:
        for what, count in sorted(report.skipped.items()):
            rows = report.skipped_rows.get(what, [])
            lines.append(f"- {what}: {count:,}" + (f" (rows {_rows(rows, 200)})" if rows else ""))
    else:
        lines.append("- none")
    if report.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in report.notes]
    return "\n".join(lines)


def import_summary(report: Any, folder: str, *, limit: int = 8) -> str:
    """Return what the terminal shows after an import: at most about 40 lines.

    The counts, the column roles in one line, the largest groups of unused cells and skipped
    rows, and where the full report is.

    Examples
    --------
    >>> from citynet.importers import ImportReport
    >>> r = ImportReport("t.csv", "long", 3, {"encoding": "utf-8", "delimiter": ",", "sheet": None},
    ...                  {"name": "City"}, ["name"], cities=2, networks=1, memberships=3,
    ...                  imported_rows=3)
    >>> print(import_summary(r, "out"))  # doctest: +NORMALIZE_WHITESPACE
    Imported t.csv (long table): 2 cities, 1 network, 3 memberships.
    Every row accounted for: 3 of 3 became memberships.
    Columns: name = City (guessed)
    The full report: out/import-report.md (every skipped row and unused cell; JSON beside it).
    """
    lines = [
        f"Imported {safe(report.source.rsplit('/', 1)[-1])} ({report.kind} table): "
        f"{plural(report.cities, 'city', 'cities')}, {plural(report.networks, 'network')}, "
        f"{plural(report.memberships, 'membership')}.",
        _accounting(report),
    ]
    roles = [
        f"{role} = {safe(header)}" + (" (guessed)" if role in report.guessed else "")
        for role, header in report.roles.items()
        if not role.startswith("network:") and " where " not in role
    ]
    networks = sum(1 for role in report.roles if role.startswith("network:"))
    if networks:
        roles.append(f"{networks:,} network columns")
    lines.append("Columns: " + "; ".join(roles))
    if report.missing:
        lines.append(
            "Missing values: "
            + "; ".join(f"{safe(c)} {n:,}" for c, n in sorted(report.missing.items()))
        )
    if report.converted:
        lines.append("Read and converted:")
        for what, count in sorted(report.converted.items(), key=lambda kv: -kv[1])[:limit]:
            example = report.examples.get(what)
            lines.append(
                f"  {safe(what)}: {count:,}" + (f" (e.g. {safe(example)})" if example else "")
            )
    groups = cell_groups(report.cells)
    if groups:
        lines.append(f"Cells that could not be used ({len(report.cells):,}):")
        lines += [f"  {_cell_line(g, 3)}" for g in groups[:limit]]
        if len(groups) > limit:
            lines.append(f"  ... and {len(groups) - limit:,} more kinds (in the report)")
    if report.skipped:
        lines.append("Skipped rows:")
        for what, count in sorted(report.skipped.items(), key=lambda kv: -kv[1])[:limit]:
            rows = report.skipped_rows.get(what, [])
            lines.append(f"  {what}: {count:,} (rows {_rows(rows, 5)})")
    for note in report.notes[:limit]:
        lines.append(f"Note: {safe(note)}")
    if len(report.notes) > limit:
        lines.append(f"... and {len(report.notes) - limit:,} more notes (in the report)")
    lines.append(
        f"The full report: {folder}/import-report.md (every skipped row and unused cell; JSON "
        "beside it)."
    )
    return "\n".join(lines)

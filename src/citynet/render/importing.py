"""The import report in words (``import-report.md`` and the command's output)."""

from __future__ import annotations

from typing import Any

from citynet.render.words import plural

__all__ = ["import_text"]


def import_text(report: Any) -> str:
    """Return the import report as Markdown text.

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
    lines += ["", "## Converted", ""]
    if report.converted:
        for what, count in sorted(report.converted.items()):
            example = report.examples.get(what)
            lines.append(f"- {what}: {count:,}" + (f" (e.g. {example})" if example else ""))
    else:
        lines.append("- nothing: the table was already in the contract's form")
    lines += ["", "## Skipped", ""]
    if report.skipped:
        for what, count in sorted(report.skipped.items()):
            rows = report.skipped_rows.get(what, [])
            shown = ", ".join(map(str, rows[:20])) + (", ..." if len(rows) > 20 else "")
            lines.append(f"- {what}: {count:,}" + (f" (rows {shown})" if rows else ""))
    else:
        lines.append("- nothing")
    if report.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in report.notes]
    return "\n".join(lines)

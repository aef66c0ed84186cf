"""HTML pieces shared by the brief and the site: escaping, a strict page shell, small charts.

Every user string goes through :func:`esc`. Pages carry a Content-Security-Policy that forbids
every request, script and form (``default-src 'none'``); their one style sheet is allowed by
its SHA-256 hash, so not even inline styles need ``'unsafe-inline'``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
from collections.abc import Sequence

from citynet._version import __version__
from citynet.render.words import safe

__all__ = ["csp", "esc", "page", "strip_chart"]


def esc(value: object) -> str:
    """Escape text for HTML (quotes too), after making control characters visible.

    Examples
    --------
    >>> esc('<b onclick="x">Paris</b>')
    '&lt;b onclick=&quot;x&quot;&gt;Paris&lt;/b&gt;'
    """
    return html.escape(safe(value), quote=True)


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def csp(*, styles: Sequence[str] = (), scripts: Sequence[str] = ()) -> str:
    """Return a Content-Security-Policy allowing exactly the given inline styles and scripts.

    Examples
    --------
    >>> csp(styles=["body{}"]).startswith("default-src 'none'; style-src 'sha256-")
    True
    """
    parts = ["default-src 'none'"]
    if styles:
        parts.append("style-src " + " ".join(_sha256(s) for s in styles))
    if scripts:
        parts.append("script-src " + " ".join(_sha256(s) for s in scripts))
    parts += ["img-src data:", "base-uri 'none'", "form-action 'none'"]
    return "; ".join(parts)


def page(title: str, body: str, *, style: str, script: str | None = None, lang: str = "en") -> str:
    """Return a whole HTML page under a strict CSP (the style and script allowed by hash)."""
    scripts = [script] if script else []
    policy = csp(styles=[style], scripts=scripts)
    script_tag = f"<script>{script}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="citynet {__version__}">\n'
        f"<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n"
        f"{script_tag}\n</body>\n</html>\n"
    )


def strip_chart(
    values: Sequence[float],
    mark: float,
    *,
    width: int = 520,
    height: int = 64,
    label: str = "",
) -> str:
    """Return an inline SVG: the peers' values as dots on a line, the city's value marked.

    Peers at the same pixel share one dot, drawn larger the more it stands for (its title
    says how many), so the chart stays a few kilobytes for any number of peers.

    Examples
    --------
    >>> svg = strip_chart([1.0, 2.0, 4.0], 3.0, label="load")
    >>> svg.startswith("<svg") and "<title>" in svg
    True
    """
    data = [float(v) for v in values] + [float(mark)]
    top = max(data) if data and max(data) > 0 else 1.0
    left, right, axis = 12.0, width - 12.0, height - 22.0

    def x(v: float) -> float:
        return left + (right - left) * v / top

    counts: dict[int, int] = {}
    for v in values:
        pixel = round(x(float(v)))
        counts[pixel] = counts.get(pixel, 0) + 1
    dots = "".join(
        f'<circle cx="{px}" cy="{axis - 10:.1f}" r="{min(3.2 * math.sqrt(n), 14.0):.1f}" '
        f'fill="#9aa5b1" fill-opacity="0.55">'
        + (f"<title>{n:,} cities</title>" if n > 1 else "")
        + "</circle>"
        for px, n in sorted(counts.items())
    )
    ticks = "".join(
        f'<line x1="{x(t):.1f}" y1="{axis:.1f}" x2="{x(t):.1f}" y2="{axis + 4:.1f}" '
        f'stroke="#555"/><text x="{x(t):.1f}" y="{axis + 15:.1f}" font-size="10" '
        f'text-anchor="middle" fill="#333">{t:g}</text>'
        for t in _ticks(top)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{esc(label)}</title>'
        f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#555"/>{ticks}{dots}'
        f'<line x1="{x(mark):.1f}" y1="4" x2="{x(mark):.1f}" y2="{axis:.1f}" stroke="#c0392b" '
        f'stroke-width="2"/><circle cx="{x(mark):.1f}" cy="{axis - 10:.1f}" r="5" '
        'fill="#c0392b"/></svg>'
    )


def _ticks(top: float) -> list[float]:
    step = 1.0
    for candidate in (1, 2, 5, 10, 20, 50, 100):
        step = float(candidate)
        if top / step <= 6:
            break
    ticks, value = [], 0.0
    while value <= top + 1e-9:
        ticks.append(value)
        value += step
    return ticks

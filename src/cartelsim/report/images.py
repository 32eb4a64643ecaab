"""The report's charts as PNG, SVG and PDF files for papers, drawn by Kaleido in the local
Chromium (Debian's `chromium`); nothing is fetched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cartelsim.errors import CartelsimError
from cartelsim.report.html import figures, load

FORMATS = ("png", "svg", "pdf")


def write_images(
    folder: Path, formats: tuple[str, ...] = FORMATS, only: tuple[str, ...] | None = None
) -> list[Path]:
    """Every chart (or those named in `only`) in each format, in FOLDER/figures."""
    browser = os.environ.get("BROWSER_PATH") or shutil.which("chromium")
    if browser is None:
        raise CartelsimError(
            "charts as files need Chromium: install Debian's `chromium` (or set BROWSER_PATH)"
        )
    os.environ.setdefault("BROWSER_PATH", browser)
    charts_, maps = figures(load(folder))
    target = folder / "figures"
    target.mkdir(exist_ok=True)
    named = {**charts_, **{f"map_{name}": fig for name, fig in maps.items()}}
    if only is not None:
        named = {k: v for k, v in named.items() if k in only}
    written = []
    for name, fig in named.items():
        wide = 1000 if not name.startswith("map_") else 900
        for fmt in formats:
            path = target / f"{name}.{fmt}"
            fig.write_image(
                path,
                format=fmt,
                width=wide,
                height=fig.layout.height or 450,
                scale=2 if fmt == "png" else 1,
            )
            written.append(path)
    return written

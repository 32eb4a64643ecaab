"""The report's charts as PNG, SVG and PDF files for papers, drawn by Kaleido in the local
Chromium (Debian's `chromium`) kept offline: nothing is fetched and no host is looked up."""

from __future__ import annotations

import re
from pathlib import Path

from cartelsim.analysis.explore import KIND
from cartelsim.experiment.store import read_only
from cartelsim.report import exploration
from cartelsim.report.html import figures, load
from cartelsim.report.offline_chromium import chromium, export

FORMATS = ("png", "svg", "pdf")
SLUG_CHARS = 80  # well under any file system's limit on a name


def write_images(
    folder: Path, formats: tuple[str, ...] = FORMATS, only: tuple[str, ...] | None = None
) -> list[Path]:
    """Every chart (or those named in `only`, as the file names without suffix) in each
    format, in FOLDER/figures; a strategy's map is `map_<slug>`."""
    chromium()  # no Chromium: say so before the store is read
    with read_only(folder) as store:
        kind = store.meta().get("kind")
    if kind == KIND:  # an exploration's charts: their ids hold no name from the store
        named = exploration.figures(exploration.load(folder))
    else:
        charts_, maps = figures(load(folder))
        named = {**charts_, **dict(zip(map_names(list(maps)), maps.values(), strict=True))}
    if only is not None:
        named = {k: v for k, v in named.items() if k in only}
    target = folder / "figures"
    target.mkdir(exist_ok=True)
    specs = [
        {
            "fig": fig,
            "path": target / f"{name}.{fmt}",
            "opts": {
                "format": fmt,
                "width": 900 if name.startswith("map_") else 1000,
                "height": fig.layout.height or 450,
                "scale": 2 if fmt == "png" else 1,
            },
        }
        for name, fig in named.items()
        for fmt in formats
    ]
    export(specs)
    return [spec["path"] for spec in specs]


def map_names(strategies: list[str]) -> list[str]:
    """`map_<slug>` for each strategy, unique: a strategy's name comes from the store, which
    may come from anywhere, so it never reaches a file name as it is."""
    names: list[str] = []
    for strategy in strategies:
        slug = re.sub(r"[^a-z0-9_-]", "-", strategy.lower())[:SLUG_CHARS]
        name, n = f"map_{slug}", 1
        while name in names:
            n += 1
            name = f"map_{slug}-{n}"
        names.append(name)
    return names

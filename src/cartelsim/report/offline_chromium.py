"""Kaleido's headless Chromium with no network. choreographer (under Kaleido) lets no caller
add Chromium flags, so Kaleido is pointed at a throwaway wrapper script that execs the real
Chromium with flags that stop its background requests and make every host lookup fail
locally, and opens a blank first tab; Kaleido itself only loads local files."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import signal
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kaleido
from kaleido.errors import (
    BrowserClosedError,
    BrowserFailedError,
    ChromeNotFoundError,
    JavascriptError,
    KaleidoError,
)

from cartelsim.errors import CartelsimError

# Each measured (strace and Chromium's net log, Chromium 156): without it some request goes
# out, and any request, even one whose lookup fails, first probes IPv6 with a UDP connect to
# 2001:4860:4860::8888.
FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",  # every lookup fails inside Chromium: no DNS
    "--disable-background-networking",  # Safe Browsing list updates, after about a minute
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints",  # time; model fetches
    "--component-updater=url-source=data:,",  # on-demand component checks
    '--gaia-config-contents={"urls":{"list_accounts_url":{"url":"data:,"}}}',  # ListAccounts
)
FIRST_TAB = "about:blank"  # not the default search engine's start page
START_S = 60  # for Chromium to start and open its tab
IMAGE_S = 90  # for one image


def chromium() -> str:
    """The real Chromium: BROWSER_PATH if set, else `chromium` on PATH."""
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium")
    if path is None:
        raise CartelsimError(
            "charts as files need Chromium: install Debian's `chromium` (or set BROWSER_PATH)"
        )
    if not os.access(path, os.X_OK):
        raise CartelsimError(f"BROWSER_PATH={path}: not an executable Chromium")
    return path


def export(specs: list[dict[str, Any]]) -> None:
    """Draw each Kaleido spec ({"fig", "path", "opts"}) to its file in one offline Chromium.
    A browser that fails, or hangs, is a CartelsimError, not a traceback or a wait forever."""
    browser = chromium()
    with _wrapper(browser) as script, ThreadPoolExecutor(1) as pool:
        # asyncio.run in a thread of its own works even where a loop already runs (Jupyter)
        job = pool.submit(asyncio.run, _draw(script, specs))
        try:
            job.result()
        except TimeoutError as exc:
            what = str(exc) or f"took over {IMAGE_S} s to draw one chart"
            raise CartelsimError(f"Chromium ({browser}) {what}; it was stopped") from None
        except (BrowserFailedError, BrowserClosedError, ChromeNotFoundError) as exc:
            raise CartelsimError(f"Chromium ({browser}) failed: {_first_line(exc)}") from None
        except (KaleidoError, JavascriptError) as exc:
            raise CartelsimError(f"Kaleido could not draw a chart: {_first_line(exc)}") from None


@contextmanager
def _wrapper(browser: str) -> Iterator[Path]:
    """A script, private to this process and removed on exit, that runs Chromium offline."""
    line = shlex.join([browser, *FLAGS])
    with tempfile.TemporaryDirectory(prefix="cartelsim-chromium-") as tmp:
        script = Path(tmp) / "chromium"
        script.write_text(f'#!/bin/sh\nexec {line} "$@" {FIRST_TAB}\n', encoding="utf-8")
        script.chmod(0o700)
        yield script


async def _draw(script: Path, specs: list[dict[str, Any]]) -> None:
    # mathjax=False: Kaleido's default page would load MathJax from a CDN
    browser = kaleido.Kaleido(path=str(script), mathjax=False, timeout=IMAGE_S)
    try:
        await _open(browser)
        await browser.write_fig_from_object(specs, cancel_on_error=True)
    except BaseException:
        _kill(browser)  # one that failed or hung would not answer a request to close either
        raise
    finally:
        await browser.close()


async def _open(browser: kaleido.Kaleido) -> None:
    """Chromium started with its tab ready, or TimeoutError after START_S. Not wait_for:
    choreographer turns the cancellation into BrowserFailedError, "closed immediately"."""
    opening = asyncio.ensure_future(browser.open())
    await asyncio.wait([opening], timeout=START_S)
    if not opening.done():
        _kill(browser)
        opening.cancel()
        await asyncio.gather(opening, return_exceptions=True)
        raise TimeoutError(f"did not start within {START_S} s")
    opening.result()


def _kill(browser: kaleido.Kaleido) -> None:
    """Chromium and its helpers: choreographer starts them in a process group of their own."""
    process = getattr(browser, "subprocess", None)  # absent if it never got as far as starting
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _first_line(exc: BaseException) -> str:
    """The first line of an error's message (Chromium's own run to pages)."""
    text = str(exc.args[0] if exc.args else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

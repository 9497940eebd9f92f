"""Progress bars for long commands: shown on a terminal, silent in CI, when piped, or when turned off.

A tiny wrapper over tqdm that any layer may use (it imports nothing from pxnet). Bars go to stderr, so a
command's output on stdout stays clean; they are off when stderr is not a terminal, when ``CI`` is set, or
when ``PXNET_PROGRESS=0``; ``PXNET_PROGRESS=1`` forces them on.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["LOGGER", "Stages", "progress", "progress_enabled", "stage_printer"]

T = TypeVar("T")

#: pxnet's logger (``logging.getLogger("pxnet")``), as osmnx has one: silent unless the application configures
#: logging (a library adds no handler of its own beyond the null one). Long commands log each stage at INFO.
LOGGER = logging.getLogger("pxnet")
LOGGER.addHandler(logging.NullHandler())


def stage_printer(command: str) -> Callable[[str], None]:
    """Return a callback that announces each stage of a long command from its first second.

    Every stage is logged (``pxnet`` logger, INFO) and written to stderr: ``  … label`` on a terminal, and one
    plain line with the seconds since the start when piped or in a log (``pxnet assess: 3 s: report``).

    Examples
    --------
    >>> say = stage_printer("demo")
    >>> say("first stage")  # doctest: +SKIP
    """
    start = time.perf_counter()

    def say(label: str) -> None:
        LOGGER.info("%s: %s", command, label)
        if getattr(sys.stderr, "isatty", lambda: False)():
            print(f"  … {label}", file=sys.stderr, flush=True)
        else:
            print(f"pxnet {command}: {time.perf_counter() - start:.0f} s: {label}", file=sys.stderr, flush=True)

    return say


def progress_enabled() -> bool:
    """Whether bars are shown now (see the module notes).

    Examples
    --------
    >>> import os
    >>> os.environ["PXNET_PROGRESS"] = "0"
    >>> progress_enabled()
    False
    >>> del os.environ["PXNET_PROGRESS"]
    """
    forced = os.environ.get("PXNET_PROGRESS", "").strip().lower()
    if forced in ("0", "false", "no", "off"):
        return False
    if forced in ("1", "true", "yes", "on"):
        return True
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    stream = sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


def progress(items: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it") -> Iterator[T]:
    """Iterate over ``items``, with a progress bar on a terminal (see the module notes), else plainly.

    Parameters
    ----------
    items
        What to iterate over.
    desc
        A few words saying what is being done ("isochrones", "scenarios").
    total
        The number of items, when ``items`` has no ``len``.
    unit
        What one item is called.

    Examples
    --------
    >>> list(progress(range(3), desc="counting"))  # no terminal here: no bar, the items unchanged
    [0, 1, 2]
    """
    if not progress_enabled():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=desc, total=total, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)


class Stages:
    """A bar over the named stages of one long command (a no-op where bars are off).

    Examples
    --------
    >>> with Stages(2, desc="export") as stages:
    ...     stages.start("routing")
    ...     stages.start("writing")
    """

    def __init__(self, total: int, *, desc: str) -> None:
        self._bar = None
        if progress_enabled():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit="step", file=sys.stderr, leave=False, dynamic_ncols=True)
        self._started = False

    def start(self, label: str) -> None:
        """Mark the previous stage done and name the one now running."""
        if self._bar is None:
            return
        if self._started:
            self._bar.update(1)
        self._started = True
        self._bar.set_postfix_str(label)

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            if self._started and not any(exc):
                self._bar.update(1)
            self._bar.close()

"""Progress bars for long commands: shown on a terminal, silent in CI, when piped, or when turned off.

A tiny wrapper over tqdm that any layer may use (it imports nothing from pxnet). Bars go to stderr, so a
command's output on stdout stays clean; they are off when stderr is not a terminal, when ``CI`` is set, or
when ``PXNET_PROGRESS=0``; ``PXNET_PROGRESS=1`` forces them on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["Stages", "progress", "progress_enabled"]

T = TypeVar("T")


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

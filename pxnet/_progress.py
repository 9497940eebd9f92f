"""Progress of long work, in one place: a :class:`Bar` for counts, :class:`Stages` for a command's stages.

A tiny layer over tqdm that any layer may use (it imports nothing from pxnet). Everything goes to stderr, so a
command's output on stdout stays clean.

- :class:`Bar` counts items (draws, isochrones …) with ``tqdm.auto``: a widget in a notebook, a line on a
  terminal; off in CI, when piped, or with ``PXNET_PROGRESS=0`` (``PXNET_PROGRESS=1`` forces it on).
  :func:`progress` wraps an iterable in one.
- :class:`Stages` announces each stage of one long command (``pxnet assess``: reading, assessing, maps …) from
  its first second: logged to the ``pxnet`` logger, and written as ``  … label`` on a terminal or as one plain
  line with the seconds since the start when piped or in a log (``pxnet assess: 3 s: report``).
"""

from __future__ import annotations

import logging
import os
import sys
import time
import warnings
from collections.abc import Iterable, Iterator, Sized
from typing import Any, TypeVar

__all__ = ["LOGGER", "Bar", "Stages", "bar_enabled", "progress", "progress_enabled"]

T = TypeVar("T")

#: pxnet's logger (``logging.getLogger("pxnet")``), as osmnx has one: silent unless the application configures
#: logging (a library adds no handler of its own beyond the null one). Long commands log each stage at INFO.
LOGGER = logging.getLogger("pxnet")
LOGGER.addHandler(logging.NullHandler())


def _on_terminal() -> bool:
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def progress_enabled() -> bool:
    """Whether bars are shown on stderr now (see the module notes): on a terminal, not in CI, unless forced.

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
    if _in_ci():
        return False
    return _on_terminal()


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except Exception:  # any failure means: no notebook kernel here
        return False
    return ip is not None and hasattr(ip, "kernel")


def bar_enabled() -> bool:
    """Whether a :class:`Bar` is shown: in a notebook or on a terminal, not in CI, when piped or turned off.

    ``PXNET_PROGRESS=0``/``1`` turns bars off or on everywhere, notebooks included.

    Examples
    --------
    >>> import os
    >>> os.environ["PXNET_PROGRESS"] = "1"
    >>> bar_enabled()
    True
    >>> del os.environ["PXNET_PROGRESS"]
    """
    if os.environ.get("PXNET_PROGRESS", "").strip() or _in_ci():
        return progress_enabled()
    return _in_notebook() or progress_enabled()


def progress(items: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it") -> Iterator[T]:
    """Iterate over ``items``, with a :class:`Bar` where bars are shown (see the module notes), else plainly.

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
    if total is None and isinstance(items, Sized):
        total = len(items)
    with Bar(total, desc=desc, unit=unit, leave=False) as bar:
        for item in items:
            yield item
            bar.update(1)


class Bar:
    """A ``tqdm.auto`` bar counting work done (a notebook widget or a terminal line), or nothing where bars are off.

    Parameters
    ----------
    total
        How many units there are (``None``: unknown).
    desc
        A few words saying what is counted.
    unit
        What one unit is called.
    show
        Force the bar on or off (default: :func:`bar_enabled`).
    leave
        Keep the finished bar on screen.

    Examples
    --------
    >>> with Bar(3, desc="draws", unit="draw", show=False) as bar:
    ...     bar.update(3)
    """

    def __init__(
        self, total: int | None, *, desc: str, unit: str = "it", show: bool | None = None, leave: bool = True
    ) -> None:
        self._bar: Any = None
        if bar_enabled() if show is None else show:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # tqdm's note that ipywidgets is missing: the text bar serves
                from tqdm.auto import tqdm
            self._bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=leave, dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        """Count ``n`` more units done."""
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        """Close the bar."""
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Stages:
    """Announce each stage of one long command from its first second (see the module notes).

    Call it with each stage's label as the stage begins.

    Parameters
    ----------
    command
        The command's name, as lines and log records show it (``"assess"``).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stderr(io.StringIO()) as err:
    ...     stages = Stages("demo")
    ...     stages("first stage")
    >>> err.getvalue().splitlines()
    ['pxnet demo: 0 s: first stage']
    """

    def __init__(self, command: str) -> None:
        self.command = command
        self._start = time.perf_counter()

    def __call__(self, label: str) -> None:
        """Announce the stage ``label``."""
        LOGGER.info("%s: %s", self.command, label)
        if _on_terminal():
            print(f"  … {label}", file=sys.stderr, flush=True)
        else:
            seconds = time.perf_counter() - self._start
            print(f"pxnet {self.command}: {seconds:.0f} s: {label}", file=sys.stderr, flush=True)

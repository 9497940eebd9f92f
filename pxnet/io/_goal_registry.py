"""Goal types as data: one :class:`GoalType` entry per kind of check a goal file may name.

An entry holds everything pxnet knows about a goal type: its name, the keys of its ``check:`` mapping with
their field rules (:class:`Key`), the function that measures it in a scenario, the direction of its margin
(:class:`Margin`, stated, never guessed from the unit), whether it is measured (or judged by its dates, like a
milestone) and its wording in English and Chinese. The goal-file reader validates every check against the
registry, and :class:`pxnet.goals.GoalEvaluator` dispatches through it, so adding a goal type is one entry and
one function (``docs/assessment.md``, "Adding a goal type").

The registry lives here, in the data layer, because reading ``goals.yaml`` validates against it; the measuring
functions live in :mod:`pxnet.goals`, which registers the built-in types when it is imported (``import pxnet``
does). The measuring function's types are named here for annotations only.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..errors import GoalTypeError, UnknownGoalError
from ..model import Project
from ..places import PlaceIndex
from ..vocabulary import did_you_mean, suggestion_hint

if TYPE_CHECKING:  # annotations only: the goals layer registers its functions here
    from ..goals import GoalEvaluator, Measurement
    from ..scenario import Scenario
    from ._goalfile import Goal

__all__ = [
    "GoalType",
    "Key",
    "KeyContext",
    "Margin",
    "Measure",
    "goal_type",
    "goal_types",
    "register_goal_type",
    "remove_goal_type",
]

#: A key rule: the problems (plain sentences) with one value of a check, given what the file is checked against.
KeyRule = Callable[[Any, "KeyContext"], list[str]]

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_REGISTRY: dict[str, GoalType] = {}


def register_goal_type(entry: GoalType, *, replace: bool = False) -> GoalType:
    """Add a goal type to the registry, so goal files may name it and :func:`pxnet.assess` can measure it.

    Parameters
    ----------
    entry
        The goal type.
    replace
        Replace an entry of the same name (otherwise a second entry of a name is refused).

    Returns
    -------
    GoalType
        ``entry``, so that a module can keep it under a name.

    Raises
    ------
    GoalTypeError
        For a name that is taken (without ``replace``) or not lower-case ASCII letters, digits and ``_``, or keys
        named twice or named ``type`` (every check has it).
    """
    if not _NAME.fullmatch(entry.name):
        raise GoalTypeError(f"goal type name {entry.name!r} must be lower-case ASCII letters, digits and '_'")
    if entry.name in _REGISTRY and not replace:
        raise GoalTypeError(f"goal type {entry.name!r} is already registered; pass replace=True to replace it")
    names = [k.name for k in entry.keys]
    if "type" in names or len(set(names)) != len(names):
        raise GoalTypeError(f"goal type {entry.name!r}: each key once, and none named 'type' (every check has it)")
    _REGISTRY[entry.name] = entry
    return entry


def remove_goal_type(name: str) -> GoalType:
    """Remove a goal type from the registry and return its entry (goals of that type no longer load).

    Raises
    ------
    UnknownGoalError
        For a name that is not registered, with the closest that are.
    """
    entry = goal_type(name)
    del _REGISTRY[name]
    return entry


def goal_type(name: str) -> GoalType:
    """Return the registry entry of a goal type.

    Raises
    ------
    UnknownGoalError
        For a name that is not registered, with the closest that are.

    Examples
    --------
    >>> import pxnet
    >>> t = pxnet.io.goal_type("hub")
    >>> t.margin, t.unit, t.measured
    (<Margin.AT_LEAST: 'at_least'>, 'lines', True)
    >>> pxnet.io.goal_type("hubb")
    Traceback (most recent call last):
    ...
    pxnet.errors.UnknownGoalError: unknown goal type 'hubb' (did you mean 'hub'?); registered: ...
    """
    entry = _REGISTRY.get(name)
    if entry is None:
        raise UnknownGoalError(
            f"unknown goal type {name!r}{did_you_mean(name, _REGISTRY)}; registered: {', '.join(_REGISTRY)}"
        )
    return entry


def goal_types() -> tuple[GoalType, ...]:
    """Return the registered goal types, in the order they were registered.

    Examples
    --------
    >>> import pxnet
    >>> [t.name for t in pxnet.io.goal_types()][:5]
    ['travel_time', 'milestone', 'hub', 'coverage', 'accessibility']
    """
    return tuple(_REGISTRY.values())


def _places(value: Any, ctx: KeyContext) -> list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        return ["must be a place name or a non-empty list of place names"]
    out = []
    for name in names:
        if not ctx.places.candidates(name):
            out.append(f"unknown place {name!r}{suggestion_hint(ctx.places.suggest(name), quote=False)}")
    return out


def _project(value: Any, ctx: KeyContext) -> list[str]:
    if isinstance(value, str) and value in ctx.projects:
        return []
    return [f"unknown project {value!r}{did_you_mean(value if isinstance(value, str) else None, ctx.projects)}"]


def _scenario(value: Any, ctx: KeyContext) -> list[str]:
    return [] if isinstance(value, str) and ctx.knows_scenario(value) else [f"unknown scenario {value!r}"]


def _text(value: Any, ctx: KeyContext) -> list[str]:
    return [] if isinstance(value, str) and value.strip() else [f"{value!r} is not a non-empty text"]


def _flag(value: Any, ctx: KeyContext) -> list[str]:
    return [] if isinstance(value, bool) else [f"{value!r} is not true or false"]


class Margin(enum.Enum):
    """Which way a goal type's margin points: how far inside (positive) or outside (negative) the target.

    Each goal type states it; nothing infers it from the unit.
    """

    #: The value must not exceed the target (minutes of travel): margin = target − value.
    AT_MOST = "at_most"
    #: The value must reach the target (lines, percent of improvement): margin = value − target.
    AT_LEAST = "at_least"
    #: Days between the event and the deadline, which the type's function gives (milestones).
    DEADLINE = "deadline"

    def of(self, value: float | None, target: float | None, given: float | None = None) -> float | None:
        """Return the margin of ``value`` against ``target`` (``given`` for :attr:`DEADLINE`).

        An infinite or undefined value (unreachable, no baseline) is infinitely outside.

        Examples
        --------
        >>> Margin.AT_MOST.of(169.0, 180.0), Margin.AT_LEAST.of(1.0, 2.0), Margin.AT_MOST.of(math.inf, 180.0)
        (11.0, -1.0, -inf)
        """
        if self is Margin.DEADLINE:
            return given
        if value is None:
            return None
        if not math.isfinite(value):
            return -math.inf
        if target is None:
            return None
        return value - target if self is Margin.AT_LEAST else target - value


@dataclass(frozen=True)
class _Number:
    """A number rule: finite, non-negative (or ``positive``), at most ``at_most``, whole if ``integer``.

    NaN and infinity are refused by name: ``NaN < 0`` is false, so a sign test alone would let them through.
    A class rather than a closure, so that a goal type pickles (worker processes receive it with its goals).
    """

    positive: bool
    at_most: float | None
    integer: bool

    def __call__(self, value: Any, ctx: KeyContext) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [f"{value!r} is not a number"]
        if not math.isfinite(value):
            return [f"{value!r} is not a finite number"]
        if value < 0 or (self.positive and value == 0):
            return [f"{value!r} must be a {'positive' if self.positive else 'non-negative'} number"]
        if self.at_most is not None and value > self.at_most:
            return [f"{value!r} must be at most {self.at_most:g}"]
        if self.integer and value != int(value):
            return [f"{value!r} must be a whole number"]
        return []


@dataclass(frozen=True)
class _Choice:
    """A rule of one word among ``options``."""

    options: tuple[str, ...]

    def __call__(self, value: Any, ctx: KeyContext) -> list[str]:
        if value in self.options:
            return []
        hint = did_you_mean(value if isinstance(value, str) else None, self.options)
        return [f"{value!r} is not allowed{hint}; allowed: {', '.join(self.options)}"]


class KeyContext(NamedTuple):
    """What the values of a check are validated against: the network's places, projects and scenarios."""

    places: PlaceIndex
    projects: Mapping[str, Project]
    #: Whether a name is a scenario of the network (or a dated one such as ``as-built-2026``).
    knows_scenario: Callable[[str], bool]


@dataclass(frozen=True)
class Key:
    """One key of a goal type's ``check:`` mapping: its name, its field rule, whether it is required, its default.

    Build keys with the constructors (:meth:`places`, :meth:`number`, :meth:`choice`, :meth:`project`,
    :meth:`scenario`, :meth:`text`, :meth:`flag`), or give a rule of your own: a function of the value and a
    :class:`KeyContext` returning the problems as sentences (an empty list when the value is good).
    """

    name: str
    rule: KeyRule
    required: bool = True
    #: The value a check without the key has (:meth:`pxnet.io.Goal.value` gives it to the measuring function).
    default: Any = None
    #: The allowed words of a :meth:`choice` key.
    options: tuple[str, ...] = ()

    def check(self, value: Any, ctx: KeyContext) -> list[str]:
        """Return the problems with a value of this key (a ``None`` value is missing)."""
        if value is None:
            return ["required value is missing"] if self.required else ["empty value; leave the key out instead"]
        return self.rule(value, ctx)

    @classmethod
    def places(cls, name: str, *, required: bool = True) -> Key:
        """Return a key of a place name or a list of them, each known to the network (with suggestions)."""
        return cls(name, _places, required)

    @classmethod
    def number(
        cls,
        name: str,
        *,
        required: bool = True,
        default: float | None = None,
        positive: bool = False,
        at_most: float | None = None,
        integer: bool = False,
    ) -> Key:
        """Return a key of a finite number, non-negative (or ``positive``), at most ``at_most``, whole if asked."""
        return cls(name, _Number(positive, at_most, integer), required, default)

    @classmethod
    def choice(cls, name: str, options: tuple[str, ...], *, required: bool = True, default: str | None = None) -> Key:
        """Return a key of one of the words ``options``."""
        return cls(name, _Choice(options), required, default, options)

    @classmethod
    def project(cls, name: str, *, required: bool = True) -> Key:
        """Return a key of a project id of the network's ``projects.yaml``."""
        return cls(name, _project, required)

    @classmethod
    def scenario(cls, name: str, *, required: bool = True) -> Key:
        """Return a key of a scenario name of the network (or a dated one)."""
        return cls(name, _scenario, required)

    @classmethod
    def text(cls, name: str, *, required: bool = True) -> Key:
        """Return a key of a non-empty text (a line name, a label)."""
        return cls(name, _text, required)

    @classmethod
    def flag(cls, name: str, *, default: bool = False) -> Key:
        """Return an optional key of ``true`` or ``false``."""
        return cls(name, _flag, False, default)


class Measure(Protocol):
    """A goal type's measuring function: what it finds in one scenario for one goal.

    ``with_path`` asks for the critical path and other details of a report (``False``: only the verdict's
    figures, faster).
    """

    def __call__(
        self, evaluator: GoalEvaluator, goal: Goal, scenario: Scenario, /, *, with_path: bool
    ) -> Measurement: ...


@dataclass(frozen=True, kw_only=True)
class GoalType:
    """One goal type: the keys of its checks, its measuring function, its margin and its wording.

    Every field but the ``about`` texts is stated; see ``docs/assessment.md`` for a worked example.
    """

    #: The ``type:`` of its checks in ``goals.yaml``.
    name: str
    #: The keys its ``check:`` mapping may have besides ``type``, with their rules.
    keys: tuple[Key, ...]
    #: Measures a goal of this type in a scenario.
    measure: Measure
    #: Which way the margin points.
    margin: Margin
    #: The unit of the value, target and margin (``min``, ``lines``, ``%``, ``days``).
    unit: str
    #: Measured in a scenario by the model (``False``: judged by recorded dates, like a milestone; such goals have
    #: no flips and are left out of sensitivity runs and ensembles).
    measured: bool
    #: A short name in English and in Chinese (``travel time``, ``出行时间``).
    title_en: str
    title_zh: str
    #: One sentence on what it checks, in English and in Chinese.
    about_en: str = ""
    about_zh: str = ""

    def __repr__(self) -> str:
        return f"<GoalType {self.name}: {self.title_en}, margin {self.margin.value} in {self.unit}>"

    def key(self, name: str) -> Key:
        """Return one key of the type's checks.

        Raises
        ------
        UnknownGoalError
            For a key the type does not have, with the closest it has.
        """
        for k in self.keys:
            if k.name == name:
                return k
        known = [k.name for k in self.keys]
        raise UnknownGoalError(f"a {self.name} check has no key {name!r}{did_you_mean(name, known)}")

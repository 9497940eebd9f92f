"""Router states and legs as named types, and the state table a router is compiled from.

A router's graph has five kinds of state (see :mod:`pxnet.routing._router` for the edges between them):

- :class:`Place` — at a node on the road network, before (layer 0) or after (layer 1) the first boarding;
- :class:`Hall` — in a station, ready to board (layer 0: first train, layer 1: after a change);
- :class:`Platform` — just off a train at a station;
- :class:`Departure` — aboard a service at a stop, about to leave;
- :class:`Arrival` — aboard a service that has just reached a stop.

The states are dataclasses, not tuples, so a ``Place(0, "x")`` never equals a ``Hall(0, "x")``. The router
itself keeps them as numpy columns (:class:`StateTable`) and makes the objects only when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

#: State kind codes of :attr:`StateTable.kind`.
PLACE, HALL, PLATFORM, DEPARTURE, ARRIVAL = range(5)


@dataclass(frozen=True, slots=True)
class Place:
    """At road node ``node``, before (``layer=0``) or after (``layer=1``) the first boarding."""

    layer: int
    node: str


@dataclass(frozen=True, slots=True)
class Hall:
    """In station ``station`` ready to board: ``layer=0`` the first train, ``layer=1`` after a change."""

    layer: int
    station: str


@dataclass(frozen=True, slots=True)
class Platform:
    """Just off a train at ``station`` (before changing or leaving)."""

    station: str


@dataclass(frozen=True, slots=True)
class Departure:
    """Aboard ``service`` at its ``stop``-th stop (in ``direction`` order), about to leave."""

    service: str
    direction: str
    stop: int


@dataclass(frozen=True, slots=True)
class Arrival:
    """Aboard ``service`` having just reached its ``stop``-th stop (in ``direction`` order)."""

    service: str
    direction: str
    stop: int


State = Place | Hall | Platform | Departure | Arrival


class Leg(NamedTuple):
    """What one router edge means: its ``kind`` and its details.

    ``kind`` is ``road``, ``wait``, ``ride``, ``dwell``, ``alight``, ``transfer``, ``entry`` or ``exit``; the
    details are the link id, mode, line and km of a road; service, stop and headway of a wait or ride; station of
    a transfer, entry or exit.
    """

    kind: str
    info: dict[str, Any]


@dataclass(frozen=True)
class StateTable:
    """A router's states as columns (one row per state, in matrix index order).

    ``node`` is the road node, station or stop of the state; ``service``/``direction``/``stop`` are set for
    :class:`Departure` and :class:`Arrival` states (``""`` and -1 elsewhere); ``layer`` is -1 where it does
    not apply.
    """

    kind: npt.NDArray[np.int8]
    layer: npt.NDArray[np.int8]
    node: npt.NDArray[Any]
    service: npt.NDArray[Any]
    direction: npt.NDArray[Any]
    stop: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.kind)

    def state(self, i: int) -> State:
        """Return the named state at matrix index ``i``."""
        kind = int(self.kind[i])
        if kind == PLACE:
            return Place(int(self.layer[i]), str(self.node[i]))
        if kind == HALL:
            return Hall(int(self.layer[i]), str(self.node[i]))
        if kind == PLATFORM:
            return Platform(str(self.node[i]))
        cls = Departure if kind == DEPARTURE else Arrival
        return cls(str(self.service[i]), str(self.direction[i]), int(self.stop[i]))

    def states(self) -> list[State]:
        """Every state, in matrix index order."""
        return [self.state(i) for i in range(len(self))]

    def lookup(self, kind: int, layer: int = -1) -> dict[str, int]:
        """``node → matrix index`` of the states of one kind (and layer)."""
        where = np.flatnonzero((self.kind == kind) & (self.layer == layer))
        return dict(zip(self.node[where].tolist(), where.tolist(), strict=True))

"""pxnet's one cache policy: memos that belong to what they derive from, keyed by what they were computed from.

The rule, for every derived result pxnet remembers (compiled graphs and their contraction hierarchies, routers,
scenario timetables and the timetables shared by rail supply key, service paths, router inputs, road times to
stations, a scenario's project-flip variants, the OSM road index of a road graph):

1. **Owned.** A memo belongs to the object the result derives from: a :class:`~pxnet.Network` (its ``cache``
   dict), a :class:`~pxnet.Scenario`, or a networkx graph. Objects that cannot carry a memo themselves
   (graphs, scenarios) get one through a weak reference, so the memo goes when its owner goes. A cached value
   never refers back to its owner (that would keep it alive for ever).
2. **Keyed on the inputs.** The key holds a fingerprint of the inputs the result was computed from (the link
   and service arrays of a scenario, the model parameters a trip mode reads; for a networkx graph its node
   count and a sample of its edge weights), so two scenarios with identical inputs share one router and an
   input changed in place is never answered from the old value.
3. **Bounded.** Each memo is a least-recently-used store of a fixed number of entries.

:func:`pxnet.routing.clear_cache` forgets everything remembered for one object (or all of them): the
documented call after an in-place edit that a fingerprint cannot see (see ``GraphFingerprint`` in
``pxnet.routing``'s compiled graphs: the node count and a sample of 512 edges' weights).
Pure functions of immutable arguments (coordinate transformers, the bundled network) use
:func:`functools.lru_cache`, which follows the same rule.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

#: Entries a memo keeps by default.
DEFAULT_SIZE = 64


class Memo:
    """A bounded least-recently-used store of derived results.

    Parameters
    ----------
    maxsize
        Entries kept; the least recently used goes first.

    Examples
    --------
    >>> m = Memo(2)
    >>> m.get("a", lambda: 1), m.get("b", lambda: 2), m.get("a", lambda: 99)
    (1, 2, 1)
    >>> _ = m.get("c", lambda: 3)  # evicts "b", the least recently used
    >>> sorted(m.keys())
    ['a', 'c']
    """

    def __init__(self, maxsize: int = DEFAULT_SIZE) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the value under ``key``, making (and remembering) it on a miss."""
        try:
            value: T = self._data[key]
        except KeyError:
            value = make()
            self._data[key] = value
            if len(self._data) > self.maxsize:
                self._data.popitem(last=False)
            return value
        self._data.move_to_end(key)
        return value

    def peek(self, key: Hashable) -> Any:
        """Return the value under ``key`` (``None`` if absent) without changing the order of use."""
        return self._data.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        """Remember ``value`` under ``key``."""
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def keys(self) -> list[Hashable]:
        """Return the keys held, least recently used first."""
        return list(self._data)

    def clear(self) -> None:
        """Forget everything."""
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


# Memos of objects that cannot hold one in an attribute of their own (networkx graphs, scenarios).
_OWNED: weakref.WeakKeyDictionary[Any, dict[Any, Memo]] = weakref.WeakKeyDictionary()
# Owners that keep their memos in their own ``cache`` dict (networks), so that clear() can reach them.
_CARRIERS: weakref.WeakSet[Any] = weakref.WeakSet()


def memo(owner: Any, name: str, *, maxsize: int = DEFAULT_SIZE) -> Memo:
    """Return the memo called ``name`` that belongs to ``owner``.

    A :class:`~pxnet.Network` keeps its memos in its ``cache`` dict; any other owner through a weak
    reference (it must be weak-referenceable and hashable by identity).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> memo(G, "test") is memo(G, "test")
    True
    """
    own = getattr(owner, "cache", None)
    store: dict[Any, Any]
    key: Hashable
    if isinstance(own, dict):
        _CARRIERS.add(owner)
        store, key = own, ("memo", name)
    else:
        store, key = _OWNED.setdefault(owner, {}), name
    found = store.get(key)
    if found is None:
        found = store[key] = Memo(maxsize)
    return found


def clear(owner: Any = None) -> None:
    """Forget every memo of ``owner`` (``None``: of every owner)."""
    if owner is None:
        for carrier in list(_CARRIERS):
            clear(carrier)
        _OWNED.clear()
        return
    store = getattr(owner, "cache", None)
    if isinstance(store, dict):
        for key in [k for k in store if isinstance(k, tuple) and k[:1] == ("memo",)]:
            del store[key]
    _OWNED.pop(owner, None)


def fingerprint(*parts: Any) -> bytes:
    """Return a 16-byte digest of numpy arrays, strings and numbers (arrays by dtype, shape and bytes).

    Examples
    --------
    >>> import numpy as np
    >>> fingerprint(np.arange(3), "a") == fingerprint(np.arange(3), "a") != fingerprint(np.arange(4), "a")
    True
    """
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, np.ndarray):
            if part.dtype == object:
                h.update(repr(part.tolist()).encode("utf-8"))
            else:
                h.update(str((part.dtype.str, part.shape)).encode())
                h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(repr(part).encode("utf-8"))
        h.update(b"\x00")
    return h.digest()

"""Resolve place names (id, Chinese or English, case-insensitive) to node ids, with suggestions."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from . import vocabulary as schema
from .errors import UnknownPlaceError

# Preferred kinds when one name fits several nodes (萍乡 the city vs 萍乡 the station).
_KIND_RANK = {
    "city": 0,
    "county_seat": 1,
    "scenic": 2,
    "hsr_station": 3,
    "rail_station": 4,
    "airport": 5,
    "port": 6,
    "ga_airport": 7,
    "freight_yard": 8,
    "interchange": 9,
    "junction": 10,
}
_ZH_SUFFIXES = ("特别行政区", "市", "县", "区", "站", "风景区", "景区", "国际机场", "机场")
_BRACKETS = re.compile(r"\s*[(（]([^()（）]*)[)）]")
_EN_SUFFIXES = (" city", " county", " district", " station", " railway station", " international airport", " airport")
# An airport's IATA code in brackets, e.g. "(CSX)", is also a name for it.
_CODE = re.compile(r"[a-z]{3}")


def normalise(name: str) -> str:
    """Fold case, width and spaces so that ``"Pingxiang  North"`` matches ``"pingxiang north"``.

    Examples
    --------
    >>> normalise("  Pingxiang  North ")
    'pingxiang north'
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def _aliases(name: str) -> set[str]:
    """The name, the name without a bracketed remark, and both without an administrative suffix."""
    n = normalise(name)
    out = {n}
    bare = _BRACKETS.sub("", n).strip()
    if bare:
        out.add(bare)
    out.update(remark for remark in _BRACKETS.findall(n) if _CODE.fullmatch(remark))
    for base in (n, bare):
        for suffix in _ZH_SUFFIXES + _EN_SUFFIXES:
            if base.endswith(suffix) and len(base) > len(suffix) + 1:
                out.add(base[: -len(suffix)].strip())
    return out


class PlaceIndex:
    """Look up nodes by id, Chinese or English name (and those names without 市/县/区/站 suffixes).

    Parameters
    ----------
    nodes
        The network's node table (``id``, ``name_zh``, ``name_en``, ``kind``).
    """

    def __init__(self, nodes: pd.DataFrame) -> None:
        self._kinds = dict(zip(nodes["id"], nodes["kind"], strict=True))
        self._exact: dict[str, list[str]] = {}
        self._alias: dict[str, list[str]] = {}
        for node_id, zh, en in zip(nodes["id"], nodes["name_zh"], nodes["name_en"], strict=True):
            for name in (node_id, zh, en):
                self._exact.setdefault(normalise(name), []).append(node_id)
                for alias in _aliases(name):
                    self._alias.setdefault(alias, []).append(node_id)
        # Answers already given; skims resolve the same names again and again.
        self._resolved: dict[tuple[str, frozenset[str] | None], str] = {}
        self._labels = {
            nid: f"{zh} ({en})" for nid, zh, en in zip(nodes["id"], nodes["name_zh"], nodes["name_en"], strict=True)
        }

    def candidates(self, name: str, *, kinds: Iterable[str] | None = None) -> list[str]:
        """All node ids a name may mean, best first.

        Places (city, county seat, scenic area) come before stations and other nodes, so ``"萍乡"`` is the
        city, not the conventional station of that name; a name ending in ``站``/``station`` asks for a
        station. Within a kind, an exact name comes before one matched without its suffix.
        """
        allowed = set(kinds) if kinds is not None else None
        key = normalise(name)
        if key.endswith("站") or key.endswith(" station"):
            allowed = (allowed or set(schema.STATION_KINDS)) & set(schema.STATION_KINDS)
        if key in self._exact and self._exact[key][0] == key:  # an id is unambiguous
            node_id = self._exact[key][0]
            if allowed is None or self._kinds[node_id] in allowed:
                return [node_id]
        # The name as given first; only if nothing is called that, the name without its suffix, so that
        # "香港国际机场" is the airport and not the city "香港".
        for lookups in (((0, self._exact, {key}), (1, self._alias, {key})), ((2, self._alias, _aliases(key)),)):
            ranked: dict[str, tuple[int, int]] = {}
            for exactness, table, aliases in lookups:
                for alias in aliases:
                    for node_id in table.get(alias, []):
                        if allowed is None or self._kinds[node_id] in allowed:
                            rank = (_KIND_RANK.get(self._kinds[node_id], 99), exactness)
                            ranked[node_id] = min(ranked.get(node_id, rank), rank)
            if ranked:
                return sorted(ranked, key=lambda n: ranked[n])
        return []

    def resolve(self, name: str, *, kinds: Iterable[str] | None = None) -> str:
        """The node id for ``name``.

        Parameters
        ----------
        name
            An id, Chinese name or English name, case-insensitive; ``市``/``县``/``站`` suffixes optional.
        kinds
            Restrict to these node kinds (e.g. ``pxnet.vocabulary.STATION_KINDS``).

        Raises
        ------
        UnknownPlaceError
            If nothing matches; the error lists the closest names.
        """
        if not isinstance(name, str):
            raise UnknownPlaceError(repr(name), [])
        key = (name, frozenset(kinds) if kinds is not None else None)
        hit = self._resolved.get(key)
        if hit is not None:
            return hit
        found = self.candidates(name, kinds=kinds)
        if found:
            self._resolved[key] = found[0]
            return found[0]
        raise UnknownPlaceError(name, self.suggest(name, kinds=kinds))

    def suggest(self, name: str, *, kinds: Iterable[str] | None = None, n: int = 5) -> list[str]:
        """The closest known names, as ``"中文 (English)"`` labels."""
        allowed = set(kinds) if kinds is not None else None
        key = normalise(name)
        pool = {
            alias: ids
            for alias, ids in self._alias.items()
            if allowed is None or any(self._kinds[i] in allowed for i in ids)
        }
        hits: list[str] = []
        for alias in sorted(pool, key=len):
            if key and (key in alias or alias in key) and len(alias) > 1:
                hits.extend(pool[alias])
        for alias in difflib.get_close_matches(key, list(pool), n=n, cutoff=0.5):
            hits.extend(pool[alias])
        labels: list[str] = []
        for node_id in hits:
            if allowed is not None and self._kinds[node_id] not in allowed:
                continue
            label = self._labels[node_id]
            if label not in labels:
                labels.append(label)
        return labels[:n]

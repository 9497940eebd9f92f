"""GTFS stops to network stations: match by table, node id, name, telecode or id; report the corridor's misses.

A national feed (e.g. China Railway's, ``stop_id`` = 12306 telecode) holds thousands of stations; a network
holds the corridor's few dozen. A feed station that matches none is kept as a station of its own
(``gtfs:<stop_id>``), so its trains still connect; when it lies on the corridor (within :data:`CORRIDOR_KM` of a
network station) it is listed in :attr:`Timetable.unmatched` with the nearest station and near-name suggestions,
because a planner most likely expected it to join the network.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ... import vocabulary
from ...errors import DataFileNotFoundError, Problem
from ...geo import EARTH_RADIUS_KM, haversine_km_array
from ...network import Network
from ._gtfs_checks import Problems

#: A feed station that matches no network station is "on the corridor" when it lies within this distance of a
#: network station (km): closer than the spacing of high-speed stations, so a station a planner would expect
#: the network to hold is reported rather than kept silently apart.
CORRIDOR_KM = 20.0

UNMATCHED_COLUMNS = [
    "stop_id",
    "stop_name",
    "stop_code",
    "nearest",
    "nearest_name",
    "distance_km",
    "suggestions",
    "declared",
]

Telecodes = Mapping[str, str] | str | Path | None


def read_telecodes(telecodes: Telecodes) -> dict[str, str]:
    """Telecode → station name (or node id), from a mapping or a CSV with ``telecode`` and ``name`` columns.

    The 12306 station list's shape (``name,telecode,…``) is accepted as it is.
    """
    if telecodes is None:
        return {}
    if isinstance(telecodes, Mapping):
        return {str(k).strip().upper(): str(v).strip() for k, v in telecodes.items()}
    path = Path(telecodes)
    if not path.is_file():
        raise DataFileNotFoundError(f"no telecode table at {str(path)!r}: give a CSV with telecode and name columns")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    code_col = next((c for c in ("telecode", "telecode_12306", "code") if rows and c in rows[0]), None)
    name_col = next((c for c in ("name", "name_zh", "station") if rows and c in rows[0]), None)
    if code_col is None or name_col is None:
        from ...errors import DataValidationError

        raise DataValidationError(
            [Problem(path.name, 1, None, None, "needs a 'telecode' and a 'name' column")], folder=str(path.parent)
        )
    return {r[code_col].strip().upper(): r[name_col].strip() for r in rows if r[code_col] and r[name_col]}


def _stations(net: Network) -> pd.DataFrame:
    return net.nodes[net.nodes["kind"].isin(vocabulary.STATION_KINDS)]


def station_lookup(net: Network) -> dict[str, str]:
    """Lower-case id, Chinese name (with and without 站), English name and telecode → station node id."""
    nodes = _stations(net)
    table: dict[str, str] = {}
    codes = nodes["telecode"] if "telecode" in nodes else pd.Series("", index=nodes.index)
    for node_id, zh, en, code in zip(nodes.index, nodes["name_zh"], nodes["name_en"], codes, strict=True):
        for key in (node_id, zh, en, code):
            if isinstance(key, str) and key:
                table.setdefault(key.strip().lower(), node_id)
        if isinstance(zh, str) and not zh.endswith("站"):
            table.setdefault(zh + "站", node_id)
    return table


def _check_stop_table(stops: pd.DataFrame, table: dict[str, str], valid: set[str], problems: Problems) -> None:
    # Each entry of the stop-to-node table must name a stop of the feed and a node of the network.
    stop_ids = set(stops["stop_id"])
    for stop_id, node in table.items():
        if node not in valid:
            problems.add("stop_nodes", None, stop_id, None, f"unknown network node {node!r}")
        if stop_id not in stop_ids:
            problems.add("stop_nodes", None, stop_id, None, "no such stop in stops.txt")


def _translated_names(translations: pd.DataFrame) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    # Other names of the stops from translations.txt: by stop id, and by the translated stop name.
    other_names: dict[str, list[str]] = {}
    if len(translations) and {"table_name", "field_name", "translation"} <= set(translations.columns):
        names = translations[(translations["table_name"] == "stops") & (translations["field_name"] == "stop_name")]
        key = "record_id" if "record_id" in names else "field_value"
        for rec, value in zip(names.get(key, pd.Series(dtype=str)), names["translation"], strict=False):
            other_names.setdefault(str(rec), []).append(str(value))
    by_name_value: dict[str, list[str]] = {}
    if {"field_value", "translation"} <= set(translations.columns):
        for value, tr in zip(translations["field_value"], translations["translation"], strict=False):
            if value:
                by_name_value.setdefault(str(value), []).append(str(tr))
    return other_names, by_name_value


def _column(stops: pd.DataFrame, name: str) -> list[str]:
    # A column's values as a list of text ("" for every row when the file has no such column).
    return stops[name].tolist() if name in stops else [""] * len(stops)


class _Matcher:
    """The stops' own network nodes, and how each was found: one rule at a time, over the stops still unmatched."""

    def __init__(
        self, net: Network, table: dict[str, str], telecodes: dict[str, str], translations: pd.DataFrame
    ) -> None:
        self.lookup = station_lookup(net)
        self.valid = set(net.nodes.index)
        self.table = table
        self.telecodes = telecodes
        self.other_names, self.by_name_value = _translated_names(translations)

    def _by_code(self, code: str, plain: str) -> tuple[str, str]:
        # Through the telecode table (to a name or node id), else the code itself as a node id or telecode.
        if not code:
            return "", ""
        named = self.telecodes.get(code.upper(), "")
        hit = self.lookup.get(named.strip().lower(), "") if named else ""
        if hit:
            return hit, "telecode"
        hit = self.lookup.get(code.lower(), "")
        return hit, plain if hit else ""

    def _by_other_names(self, stop_id: str, name: str) -> str:
        # The stop's translations.txt names, by stop id and then by its name.
        for candidate in [*self.other_names.get(stop_id, []), *self.by_name_value.get(name, [])]:
            hit = self.lookup.get(candidate.strip().lower())
            if hit:
                return hit
        return ""

    def match_all(self, stops: pd.DataFrame) -> list[tuple[str, str]]:
        """Each stop's node and rule (``("", "")`` when none matches), in the order of the rules' precedence."""
        ids, nodes = _column(stops, "stop_id"), _column(stops, "node_id")
        names, codes = _column(stops, "stop_name"), _column(stops, "stop_code")
        found: list[tuple[str, str]] = [("", "")] * len(ids)
        pending: Sequence[int] = range(len(ids))

        def settle(hits: list[tuple[str, str]]) -> list[int]:
            # Record the hits of one rule; return the stops it left unmatched.
            left = []
            for i, hit in zip(pending, hits, strict=True):
                if hit[1]:
                    found[i] = hit
                else:
                    left.append(i)
            return left

        table, valid, lookup = self.table, self.valid, self.lookup
        pending = settle([(table[ids[i]], "table") if ids[i] in table else ("", "") for i in pending])
        pending = settle([(nodes[i], "node_id") if nodes[i] in valid else ("", "") for i in pending])
        pending = settle(
            [(hit, "name" if hit else "") for i in pending for hit in [lookup.get(names[i].strip().lower(), "")]]
        )
        if self.other_names or self.by_name_value:
            pending = settle(
                [(hit, "name" if hit else "") for i in pending for hit in [self._by_other_names(ids[i], names[i])]]
            )
        pending = settle([self._by_code(codes[i], "code") for i in pending])
        settle([self._by_code(ids[i], "id") for i in pending])
        return found


def match_stops(
    stops: pd.DataFrame,
    translations: pd.DataFrame,
    net: Network,
    table: dict[str, str],
    telecodes: dict[str, str],
    problems: Problems,
) -> pd.DataFrame:
    """Return ``stops`` with ``station`` (node id, or ``gtfs:<stop_id>`` of the stop or parent) and ``matched_by``."""
    matcher = _Matcher(net, table, telecodes, translations)
    _check_stop_table(stops, table, matcher.valid, problems)
    found = matcher.match_all(stops)
    ids, parents = _column(stops, "stop_id"), _column(stops, "parent_station")
    matched = dict(zip(ids, found, strict=True))
    station, how = [], []
    for stop_id, parent, (node, by) in zip(ids, parents, found, strict=True):
        if not node and parent:
            node, by = matched.get(parent, ("", ""))
            by = "parent" if node else ""
            key = node or f"gtfs:{parent}"
        else:
            key = node or f"gtfs:{stop_id}"
        station.append(key)
        how.append(by)
    out = stops.copy()
    out["station"] = station
    out["matched_by"] = how
    return out


def _folded(text: str) -> str:
    # As vocabulary.close_matches compares names.
    return unicodedata.normalize("NFKC", text).casefold()


class _Names:
    """The network's station names, with what bounds their similarity to a stop's name from above.

    :func:`vocabulary.close_matches` scores every name it is given. Only names whose similarity bound (the count
    of characters in common, as ``difflib``'s ``quick_ratio``, which is never below the score) reaches the cutoff
    are passed to it: the suggestions are the same, and a feed of thousands of stations far from every network
    name costs a few set operations per stop.
    """

    def __init__(self, names: list[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self.keys = [_folded(name) for name in self.names]
        self.counts = [Counter(key) for key in self.keys]

    def close(self, value: str, *, n: int = 3, cutoff: float = 0.5) -> list[str]:
        """Return :func:`vocabulary.close_matches` of ``value`` among the names."""
        key = _folded(value)
        if not key:
            return []
        counts = Counter(key)
        near = [
            name
            for name, other, other_counts in zip(self.names, self.keys, self.counts, strict=True)
            if 2.0 * min(len(key), len(other)) / (len(key) + len(other)) >= cutoff
            and 2.0 * sum((counts & other_counts).values()) / (len(key) + len(other)) >= cutoff
        ]
        return vocabulary.close_matches(value, near, n=n, cutoff=cutoff) if near else []


def _in_corridor_band(lat: np.ndarray, station_lat: np.ndarray) -> np.ndarray:
    """Whether each stop's latitude lies within :data:`CORRIDOR_KM` of the stations' span of latitudes.

    A great-circle distance is never shorter than its difference of latitude (radius × angle), so a stop outside
    the band (kept 1 % wider for rounding) lies farther than :data:`CORRIDOR_KM` from every station: a national
    feed's distances are computed only for the stops in the corridor's band.
    """
    finite = station_lat[np.isfinite(station_lat)]
    if not len(finite):
        return np.zeros(len(lat), dtype=bool)
    band = np.degrees(CORRIDOR_KM / EARTH_RADIUS_KM) * 1.01
    return np.asarray((lat >= finite.min() - band) & (lat <= finite.max() + band), dtype=bool)


def unmatched_on_corridor(stops: pd.DataFrame, net: Network) -> pd.DataFrame:
    """Return the stations of the feed that match no network station and lie within :data:`CORRIDOR_KM` of one."""
    own = stops[stops["matched_by"] == ""]
    if "location_type" in own:
        own = own[own["location_type"].isin(["", "0", "1"])]
    if "parent_station" in own:
        own = own[own["parent_station"] == ""]  # a platform is reported through its station
    nodes = _stations(net)
    if own.empty or nodes.empty or not {"stop_lat", "stop_lon"} <= set(own.columns):
        return pd.DataFrame(columns=UNMATCHED_COLUMNS)
    lat = pd.to_numeric(own["stop_lat"], errors="coerce").to_numpy(dtype=float)
    band = _in_corridor_band(lat, nodes["lat"].to_numpy(dtype=float))
    own, lat = own[band], lat[band]
    lon = pd.to_numeric(own["stop_lon"], errors="coerce").to_numpy(dtype=float)
    dist = haversine_km_array(
        lon[:, None], lat[:, None], nodes["lon"].to_numpy(dtype=float)[None, :], nodes["lat"].to_numpy(dtype=float)
    )
    nearest = np.argmin(np.where(np.isnan(dist), np.inf, dist), axis=1)
    near_km = dist[np.arange(len(own)), nearest]
    on = near_km <= CORRIDOR_KM
    names = _Names([str(x) for x in nodes["name_zh"] if isinstance(x, str)])
    rows = []
    columns = {c: _column(own, c) for c in ("stop_id", "stop_name", "stop_code", "node_id")}
    for i in np.flatnonzero(on):
        node = str(nodes.index[nearest[i]])
        name = str(columns["stop_name"][i])
        rows.append(
            {
                "stop_id": columns["stop_id"][i],
                "stop_name": name,
                "stop_code": columns["stop_code"][i],
                "nearest": node,
                "nearest_name": nodes.at[node, "name_zh"],
                "distance_km": round(float(near_km[i]), 1),
                "suggestions": "; ".join(names.close(name.removesuffix("站"))),
                # A feed matched by hand (a node_id column) that leaves a stop's node_id empty says so on purpose.
                "declared": "node_id" in own and columns["node_id"][i] == "",
            }
        )
    return pd.DataFrame(rows, columns=UNMATCHED_COLUMNS)


def unmatched_message(unmatched: pd.DataFrame) -> str:
    """One sentence for the warning: how many, and the first few by name."""
    unmatched = unmatched[~unmatched["declared"].astype(bool)]
    if unmatched.empty:
        return ""
    shown = [
        f"{r.stop_name or r.stop_id} ({r.stop_id}, {r.distance_km:g} km from {r.nearest_name})"
        for r in unmatched.head(8).itertuples(index=False)
    ]
    more = f" and {len(unmatched) - 8} more" if len(unmatched) > 8 else ""
    return (
        f"{len(unmatched)} station(s) of the feed on the corridor match no network station and are kept as "
        f"stations of their own (Timetable.unmatched; match them with stop_nodes= or telecodes=): "
        f"{', '.join(shown)}{more}"
    )

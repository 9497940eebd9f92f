"""The :class:`Network`: the validated tables of a data folder, with place lookup and scenarios."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import vocabulary
from .errors import DataWarning, PxnetError
from .errors import warn as warn_at_user
from .io import DatasetDefaults, Goal, NetworkData, read_defaults, read_folder
from .model import Project, ScenarioSpec, TimetableChange
from .places import PlaceIndex

if TYPE_CHECKING:
    import geopandas as gpd


def bundled_data_path() -> Path:
    """Return the folder of the bundled Pingxiang – Greater Bay Area data set.

    In an installed wheel it is ``pxnet/_bundled``; in a source checkout it is the repository's ``data/``.

    Examples
    --------
    >>> (bundled_data_path() / "nodes.csv").is_file()
    True
    """
    packaged = Path(str(resources.files("pxnet"))) / "_bundled"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def bundled_network() -> Network:
    """Return the bundled network, loaded once per process (used when a function gets ``network=None``)."""
    return load_network(warn=False)


def load_network(path: str | Path | None = None, *, warn: bool = True) -> Network:
    """Load and validate a network data folder.

    Parameters
    ----------
    path
        A folder in pxnet's data format (see ``docs/data-model.md``); ``None`` loads the bundled
        Pingxiang – Greater Bay Area network.
    warn
        Emit a :class:`pxnet.DataWarning` for each suspicious record (they are kept on
        :attr:`Network.warnings` either way).

    Returns
    -------
    Network

    Raises
    ------
    DataFileNotFoundError
        If the folder or a required file is missing.
    DataValidationError
        If any file is malformed; the message lists every problem with file, line, id and column.

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> net.resolve("萍乡北")
    'pingxiang_north'
    """
    folder = Path(path) if path is not None else bundled_data_path()
    data = read_folder(folder)
    if warn:
        for problem in data.warnings:
            warn_at_user(str(problem), DataWarning)
    network = Network(data)
    _ = network.defaults  # validate dataset.yaml's defaults at load time, not at the first report
    return network


class Network:
    """A transport network: nodes, links, services, projects, scenarios, goals and parameters.

    Tables are pandas DataFrames indexed by id (``nodes``, ``links``, ``services``); projects are
    :class:`pxnet.model.Project` records. A network is read-only by convention: to change data, edit the
    files (or copies of the tables) and load again; to try a variant, derive a :class:`Scenario`.
    """

    def __init__(self, data: NetworkData) -> None:
        self._data = data
        self.folder: Path = data.folder
        self.nodes: pd.DataFrame = data.nodes
        self.links: pd.DataFrame = data.links
        self.services: pd.DataFrame = data.services
        self.projects: dict[str, Project] = data.projects
        self.scenario_specs: dict[str, ScenarioSpec] = data.scenarios
        self.goals: list[Goal] = data.goals
        self.parameters = data.parameters
        self.warnings = data.warnings
        self.observed: pd.DataFrame = data.observed
        #: Dated changes of the rail supply (``timetable/changes.yaml``), in date order.
        self.timetable_changes: list[TimetableChange] = list(data.changes)
        #: Published fastest station-to-station times with their sources (``timetable/published_times.csv``).
        self.published_times: pd.DataFrame = data.published
        #: Per-network memo for higher layers (scenarios, compiled routers); never part of the data.
        self.cache: dict[Any, Any] = {}
        #: The network this one was extended from by project cards (:func:`pxnet.cards.extend_network`), or None.
        self.extends: Network | None = None
        #: The project cards applied to get this network from the original data folder, in order.
        self.cards: tuple[Any, ...] = ()

    @property
    def data(self) -> NetworkData:
        """The validated contents the network was built from (copy it with ``dataclasses.replace``)."""
        return self._data

    def __repr__(self) -> str:
        """Return the network's name and counts of nodes, links, services and projects."""
        name = self.metadata.get("name", self.folder.name)
        return (
            f"<pxnet.Network {name!r}: {len(self.nodes)} nodes, {len(self.links)} links, "
            f"{len(self.services)} services, {len(self.projects)} projects>"
        )

    # -- metadata -----------------------------------------------------------------------------
    @cached_property
    def metadata(self) -> dict[str, Any]:
        """Contents of the folder's optional ``dataset.yaml`` (name, data date, licence, description)."""
        return dict(self._data.metadata)

    @cached_property
    def defaults(self) -> DatasetDefaults:
        """The data set's own defaults (``dataset.yaml``: origin, region, default scenarios, plan, report title).

        Examples
        --------
        >>> import pxnet
        >>> net = pxnet.load_network()
        >>> net.defaults.origin, len(net.defaults.region), net.defaults.plan.document
        ('萍乡', 11, '萍府办发〔2019〕5号')
        """
        return read_defaults(
            self.metadata,
            nodes=self.nodes,
            scenario_names=self.scenario_specs,
            place_kinds=vocabulary.PLACE_KINDS,
            folder=str(self.folder),
        )

    @property
    def data_date(self) -> str:
        """The date the data set describes (``dataset.yaml: data_date``), or ``"unknown"``."""
        return str(self.metadata.get("data_date", "unknown"))

    # -- places -------------------------------------------------------------------------------
    @cached_property
    def place_index(self) -> PlaceIndex:
        """The name index used by :meth:`resolve`."""
        return PlaceIndex(self.nodes)

    def resolve(self, name: str, *, kinds: Iterable[str] | None = None) -> str:
        """Return the node id for an id, Chinese or English name (case-insensitive).

        Parameters
        ----------
        name
            e.g. ``"pingxiang_north"``, ``"萍乡北"``, ``"Pingxiang North"``, ``"广州"``.
        kinds
            Restrict to these node kinds.

        Raises
        ------
        UnknownPlaceError
            With the closest matches, if the name is unknown.

        Examples
        --------
        >>> import pxnet
        >>> pxnet.load_network().resolve("guangzhou south")
        'guangzhou_south'
        """
        return self.place_index.resolve(name, kinds=kinds)

    @property
    def node_keys(self) -> pd.Series:
        """Integer graph key of each node id, as earlier pxnet releases keyed their graphs (deprecated).

        Graphs are keyed by the text ids now (``G.nodes["pingxiang_north"]``); ``to_networkx(sc,
        node_keys="hash")`` still gives these integer keys for one release. Each is :func:`hashed_key` of its id.

        Warns
        -----
        DeprecationWarning
            Always: node keys are the ids.
        """
        warn_at_user(
            "Network.node_keys is deprecated and goes in pxnet 0.4: the graphs of pxnet are keyed by node id now "
            "(G.nodes['pingxiang_north']); to_networkx(scenario, node_keys='hash') gives the old integer keys",
            DeprecationWarning,
        )
        return self._hashed_keys

    @cached_property
    def _hashed_keys(self) -> pd.Series:
        keys = pd.Series({n: hashed_key(n) for n in self.nodes.index}, dtype="int64")
        if keys.duplicated().any():  # pragma: no cover - astronomically unlikely
            raise PxnetError(f"node ids {list(keys.index[keys.duplicated(keep=False)])} share a graph key; rename one")
        return keys

    def key(self, name: str) -> int:
        """Return the old integer graph key of a place or node, by id, Chinese or English name (deprecated).

        The graphs of pxnet are keyed by node id now: :meth:`resolve` gives the key (``"萍乡北"`` →
        ``"pingxiang_north"``). The integer is the key in ``to_networkx(sc, node_keys="hash")``.

        Warns
        -----
        DeprecationWarning
            Always: use :meth:`resolve`.

        Examples
        --------
        >>> import pxnet, warnings
        >>> net = pxnet.load_network()
        >>> G = pxnet.get_scenario(2025, network=net).graph()
        >>> G.nodes[net.resolve("萍乡北")]["name_en"]
        'Pingxiang North'
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     old = net.key("萍乡北")
        >>> old == hashed_key("pingxiang_north"), caught[0].category.__name__
        (True, 'DeprecationWarning')
        """
        warn_at_user(
            "Network.key(name) is deprecated and goes in pxnet 0.4: the graphs of pxnet are keyed by node id now; "
            f"use Network.resolve({name!r}) (the id), or to_networkx(scenario, node_keys='hash') for integer keys",
            DeprecationWarning,
        )
        return int(self._hashed_keys[self.resolve(name)])

    def node(self, name: str) -> pd.Series:
        """Return the node table row for a place name or id."""
        return self.nodes.loc[self.resolve(name)]

    @property
    def places(self) -> pd.DataFrame:
        """Nodes that are trip origins/destinations (cities, county seats, scenic areas)."""
        return self.nodes[self.nodes["kind"].isin(vocabulary.PLACE_KINDS)]

    def stations_of(self, place: str, *, modes: Iterable[str] = ("hsr",)) -> list[str]:
        """Ids of the stations serving a place (nodes whose ``place`` is it) with a link of ``modes``."""
        place_id = self.resolve(place)
        wanted = set(modes)
        touched = set(self.links.loc[self.links["mode"].isin(wanted), "from"]) | set(
            self.links.loc[self.links["mode"].isin(wanted), "to"]
        )
        served = self.nodes.index[(self.nodes["place"] == place_id)]
        out = [n for n in served if n in touched]
        if place_id in touched:
            out.insert(0, place_id)
        return out

    def project_links(self, project_id: str) -> pd.DataFrame:
        """Return the links a project adds (their ``project`` column names it)."""
        return self.links[self.links["project"] == project_id]

    def network_projects(self) -> list[str]:
        """Return the ids of the projects that change the network when switched.

        They add links or services, upgrade or close links; the others, such as a logistics centre without a
        modelled link, only have milestones.

        Examples
        --------
        >>> import pxnet
        >>> "changgan" in pxnet.load_network().network_projects()
        True
        """
        used = set(self.links["project"].dropna()) | set(self.services["project"].dropna())
        return [p.id for p in self.projects.values() if p.id in used or p.upgrades or p.closes]

    @property
    def scenario_names(self) -> list[str]:
        """Names of the scenarios defined in ``scenarios.yaml``.

        Dated names work too: ``as-built-2026``, ``expected-2035``, ``plan-2030-06`` (:func:`pxnet.get_scenario`).
        """
        return list(self.scenario_specs)

    # -- views --------------------------------------------------------------------------------
    def to_gdfs(self) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """Nodes and links as GeoDataFrames (WGS-84); links as straight lines between their nodes.

        Examples
        --------
        >>> import pxnet
        >>> nodes, links = pxnet.load_network().to_gdfs()
        >>> nodes.crs.to_string()
        'EPSG:4326'
        """
        return nodes_gdf(self.nodes), links_gdf(self.links, self.nodes)

    def summary(self) -> str:
        """Return a short text summary: counts by kind, mode, status, the projects and scenarios."""
        lines = [
            f"pxnet network {self.folder}",
            f"  data date: {self.data_date}",
            f"  nodes: {len(self.nodes)} ({_counts(self.nodes['kind'])})",
            f"  links: {len(self.links)} ({_counts(self.links['mode'])}); {self.links['length_km'].sum():,.0f} km",
            f"  link status: {_counts(self.links['status'])}",
            f"  services: {len(self.services)} ({_counts(self.services['status'])})",
            f"  projects: {len(self.projects)}; scenarios: {', '.join(self.scenario_names) or '(none)'}",
            f"  warnings: {len(self.warnings)}",
        ]
        return "\n".join(lines)


def _counts(series: pd.Series) -> str:
    counts = series.value_counts()
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def nodes_gdf(nodes: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return a node table as a GeoDataFrame of points (WGS-84), ``source`` and all other columns kept.

    Examples
    --------
    >>> import pxnet
    >>> nodes_gdf(pxnet.load_network().nodes).geometry.iloc[0].geom_type
    'Point'
    """
    import geopandas as gpd

    frame = nodes.drop(columns=["csv_line"], errors="ignore")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(nodes["lon"], nodes["lat"]), crs="EPSG:4326")


def links_gdf(links: pd.DataFrame, nodes: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return a link table as a GeoDataFrame of straight lines between the end nodes (WGS-84).

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> links_gdf(net.links, net.nodes).crs.to_epsg()
    4326
    """
    import geopandas as gpd
    from shapely import linestrings

    frame = links.drop(columns=["csv_line", "line_name"], errors="ignore")
    frame["open_date"] = frame["open_date"].map(lambda d: "" if d is None else str(d))
    a = nodes.loc[links["from"], ["lon", "lat"]].to_numpy()
    b = nodes.loc[links["to"], ["lon", "lat"]].to_numpy()
    coords = [[tuple(p), tuple(q)] for p, q in zip(a, b, strict=True)]
    geometry = linestrings(coords) if coords else []
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def hashed_key(node_id: str) -> int:
    """Return the integer graph key earlier pxnet releases gave a node id: 56 bits of its BLAKE2b hash (deprecated).

    Derived from the id alone, so it stays the same when other nodes are added or removed. The key of
    ``to_networkx(scenario, node_keys="hash")``; pxnet's graphs are keyed by the ids themselves by default.

    Examples
    --------
    >>> hashed_key("pingxiang_north") == hashed_key("pingxiang_north") < 2**56
    True
    """
    return int.from_bytes(hashlib.blake2b(node_id.encode("utf-8"), digest_size=7).digest(), "big")

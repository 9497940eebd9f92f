"""The look of a map: the keywords map functions share, gathered into small frozen records.

A map function takes its look as keywords (``labels=``, ``boundaries=``, ``figsize=`` …), typed for checkers by
one of the ``TypedDict`` s below and passed on as ``**style``; :func:`pxnet.routing.spelled_out` gives it back
the signature a user reads, every keyword by name with its default. :func:`map_style` and :func:`web_style` check
the keywords given (a misspelt one fails with the nearest it could be, as in a plain signature) and make the
record of the function's look: :class:`MapStyle` (or a map's own defaults, e.g. :class:`IsochroneStyle`) and
:class:`WebStyle`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from ..routing import Options, accept_keywords

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DifferenceOptions",
    "DifferenceStyle",
    "FrameOptions",
    "IsochroneOptions",
    "IsochroneStyle",
    "MapStyle",
    "NetworkMapOptions",
    "TravelTimeOptions",
    "WebOptions",
    "WebStyle",
    "WebUnderlayOptions",
    "map_style",
]

S = TypeVar("S", "MapStyle", "WebStyle")


def map_style(options: Mapping[str, Any], keywords: type, record: type[S], *, function: str) -> S:
    """Return the look of a map (static or web): the ``record`` of ``options``, the keywords of ``keywords``.

    Raises
    ------
    pxnet.errors.ArgumentError
        For a keyword ``function`` does not take, naming the nearest one it does.

    Examples
    --------
    >>> map_style({"labels": False}, DifferenceOptions, DifferenceStyle, function="f")
    DifferenceStyle(labels=False, boundaries=True, title=None, figsize=None, network_underlay=True, cmap='viridis_r')
    >>> map_style({"label": False}, DifferenceOptions, DifferenceStyle, function="f")
    Traceback (most recent call last):
    ...
    pxnet.errors.ArgumentError: f() got an unexpected keyword 'label' (did you mean 'labels'?)
    >>> map_style({"tiles": "OpenStreetMap"}, WebOptions, WebStyle, function="f")
    WebStyle(tiles='OpenStreetMap', tianditu_key=None, base_layer=True, network_underlay=True)
    """
    accept_keywords(options, keywords, function=function)
    return record(**options)


class FrameOptions(TypedDict, total=False):
    """What every static map takes: the base layer of boundaries, and the size of a new figure."""

    boundaries: bool | gpd.GeoDataFrame
    figsize: tuple[float, float] | None


class DifferenceOptions(FrameOptions, total=False):
    """The look of a map comparing two scenarios (:func:`~pxnet.plot.plot_scenario_difference`)."""

    labels: bool


class NetworkMapOptions(DifferenceOptions, total=False):
    """The look of the network map (:func:`~pxnet.plot.plot_network`): labels and a heading."""

    title: str | None


class TravelTimeOptions(FrameOptions, total=False):
    """The look of a travel-time map (:func:`~pxnet.plot.plot_travel_times`)."""

    network_underlay: bool
    cmap: str
    title: str | None


class IsochroneOptions(TravelTimeOptions, total=False):
    """The look of an isochrone map (:func:`~pxnet.plot.plot_isochrones`): a travel-time map's, and labels."""

    labels: bool


class WebOptions(TypedDict, total=False):
    """The background of a web map: online tiles (with their key) and pxnet's own vector base layer."""

    tiles: str | None
    tianditu_key: str | None
    base_layer: bool


class WebUnderlayOptions(WebOptions, total=False):
    """A web map's background with the network drawn under the results."""

    network_underlay: bool


@dataclass(frozen=True)
class MapStyle(Options):
    """The look of a static map, every field filled in (see each map function for what it means there)."""

    labels: bool = True
    boundaries: bool | gpd.GeoDataFrame = True
    title: str | None = None
    figsize: tuple[float, float] | None = (8.0, 10.0)
    network_underlay: bool = True
    cmap: str = "viridis_r"


@dataclass(frozen=True)
class IsochroneStyle(MapStyle):
    """An isochrone map's look: a squarer figure, and blues for the bands."""

    figsize: tuple[float, float] | None = (8.0, 8.5)
    cmap: str = "YlGnBu"


@dataclass(frozen=True)
class DifferenceStyle(MapStyle):
    """A difference map's look: its figure's size follows its layout unless given."""

    figsize: tuple[float, float] | None = None


@dataclass(frozen=True)
class WebStyle(Options):
    """The look of a web map, every field filled in (see :func:`~pxnet.plot.explore_network`)."""

    tiles: str | None = None
    tianditu_key: str | None = None
    base_layer: bool = True
    network_underlay: bool = True

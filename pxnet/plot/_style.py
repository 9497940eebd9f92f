"""The look of a map: the keywords map functions share, gathered into small frozen records.

A map function takes its look as keywords (``labels=``, ``boundaries=``, ``figsize=`` …), typed for checkers by
one of the ``TypedDict`` s below and passed on as ``**style``, so its signature keeps every keyword name while
its own parameters stay few. :func:`map_style` and :func:`web_style` check the keywords given (a misspelt one
fails with the nearest it could be, as in a plain signature) and fill in the function's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from .. import vocabulary

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DifferenceOptions",
    "FrameOptions",
    "IsochroneOptions",
    "MapStyle",
    "NetworkMapOptions",
    "TravelTimeOptions",
    "WebOptions",
    "WebStyle",
    "WebUnderlayOptions",
    "map_style",
    "web_style",
]


def map_style(options: Mapping[str, Any], keywords: type, *, function: str, **defaults: Any) -> MapStyle:
    """Return the look of a static map: ``options`` (the keywords of ``keywords``), else ``defaults``.

    Raises
    ------
    pxnet.errors.ArgumentError
        For a keyword ``function`` does not take, naming the nearest one it does.

    Examples
    --------
    >>> map_style({"labels": False}, DifferenceOptions, function="f", figsize=(4.0, 3.0))
    MapStyle(labels=False, boundaries=True, title=None, figsize=(4.0, 3.0), network_underlay=True, cmap='viridis_r')
    >>> map_style({"label": False}, DifferenceOptions, function="f")
    Traceback (most recent call last):
    ...
    pxnet.errors.ArgumentError: f() got an unexpected keyword 'label' (did you mean 'labels'?)
    """
    vocabulary.check_keywords(options, _keys(keywords), function=function)
    return MapStyle(**{**defaults, **options})


def web_style(options: Mapping[str, Any], *, function: str, underlay: bool = False) -> WebStyle:
    """Return the look of a web map from ``options``: :class:`WebOptions`, with ``network_underlay`` if ``underlay``.

    Examples
    --------
    >>> web_style({"tiles": "OpenStreetMap"}, function="f")
    WebStyle(tiles='OpenStreetMap', tianditu_key=None, base_layer=True, network_underlay=True)
    """
    allowed = _keys(WebOptions) | ({"network_underlay"} if underlay else set())
    vocabulary.check_keywords(options, allowed, function=function)
    return WebStyle(**options)


def _keys(keywords: type) -> set[str]:
    return set(getattr(keywords, "__optional_keys__", ())) | set(getattr(keywords, "__required_keys__", ()))


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
class MapStyle:
    """The look of a static map, every field filled in (see each map function for what it means there)."""

    labels: bool = True
    boundaries: bool | gpd.GeoDataFrame = True
    title: str | None = None
    figsize: tuple[float, float] | None = (8.0, 10.0)
    network_underlay: bool = True
    cmap: str = "viridis_r"


@dataclass(frozen=True)
class WebStyle:
    """The look of a web map, every field filled in (see :func:`~pxnet.plot.explore_network`)."""

    tiles: str | None = None
    tianditu_key: str | None = None
    base_layer: bool = True
    network_underlay: bool = True

"""Static maps with matplotlib: the network, isochrones, scenario differences and travel times.

Every map is drawn in the project's metric CRS (:data:`pxnet.geo.METRIC_CRS`, UTM 49N) so that distances are
true, and carries a title with the scenario and data date, a legend, a scale bar, a north arrow and an
attribution line. Chinese labels use Noto Sans CJK (:func:`pxnet.fonts.register_cjk_font`).
"""

from __future__ import annotations

# This module gathers the public names. The code is in plot_base (styles, projection, map axes), plot_furniture
# (scale bar, north arrow, attribution, title, boundaries, labels), plot_layers (links, markers, mode legend) and
# one module per map type: plot_networkmap, plot_isomaps (isochrones, scenario differences), plot_timemaps.
from .plot_base import MODE_STYLES as MODE_STYLES
from .plot_base import STATUS_STYLES as STATUS_STYLES
from .plot_base import ModeStyle as ModeStyle
from .plot_base import PlotError as PlotError
from .plot_base import root_figure as root_figure
from .plot_networkmap import plot_network as plot_network

# isort: split
# The API page lists these names in the order they are imported here: the network map first, as before.
from .plot_isomaps import _underlay_source as _underlay_source  # used by pxnet.interactive
from .plot_isomaps import plot_isochrones as plot_isochrones
from .plot_isomaps import plot_scenario_difference as plot_scenario_difference
from .plot_timemaps import plot_travel_times as plot_travel_times

__all__ = [
    "MODE_STYLES",
    "STATUS_STYLES",
    "ModeStyle",
    "PlotError",
    "plot_isochrones",
    "plot_network",
    "plot_scenario_difference",
    "plot_travel_times",
    "root_figure",
]

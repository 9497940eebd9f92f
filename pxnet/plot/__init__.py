"""Static maps with matplotlib: the network, isochrones, scenario differences and travel times.

Every map is drawn in the project's metric CRS (:data:`pxnet.geo.METRIC_CRS`, UTM 49N) so that distances are
true, and carries a title with the scenario and data date, a legend, a scale bar, a north arrow and an
attribution line. Chinese labels use Noto Sans CJK (:func:`pxnet.plot.register_cjk_font`).
"""

from __future__ import annotations

# This module gathers the public names. The code is in plot_base (styles, projection, map axes), plot_furniture
# (scale bar, north arrow, attribution, title, boundaries, labels), plot_layers (links, markers, mode legend) and
# one module per map type: plot_networkmap, plot_isomaps (isochrones, scenario differences), plot_timemaps.
from ._base import MODE_STYLES as MODE_STYLES
from ._base import STATUS_STYLES as STATUS_STYLES
from ._base import ModeStyle as ModeStyle
from ._base import PlotError as PlotError
from ._base import root_figure as root_figure
from ._networkmap import plot_network as plot_network

# isort: split
# The API page lists these names in the order they are imported here: the network map first, as before.
from ._isomaps import plot_isochrones as plot_isochrones
from ._isomaps import plot_scenario_difference as plot_scenario_difference
from ._timemaps import plot_travel_times as plot_travel_times

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
from ._boundaries import BoundaryNote as BoundaryNote
from ._boundaries import boundaries_available as boundaries_available
from ._boundaries import load_boundaries as load_boundaries
from ._boundaries import load_coast as load_coast
from ._charts import figure_comparison as figure_comparison
from ._charts import figure_gba_times as figure_gba_times
from ._charts import figure_impacts as figure_impacts
from ._charts import figure_sensitivity as figure_sensitivity
from ._charts import figure_status as figure_status
from ._charts import save_figure as save_figure
from ._ensemble_chart import figure_ensemble as figure_ensemble
from ._fonts import register_cjk_font as register_cjk_font
from ._web import LEAFLET_VERSION as LEAFLET_VERSION
from ._web import explore_isochrones as explore_isochrones
from ._web import explore_network as explore_network
from ._web import explore_scenario_difference as explore_scenario_difference
from ._web import save_html as save_html

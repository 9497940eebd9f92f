"""Maps and charts: static maps (matplotlib), charts, and offline web maps (folium with a bundled Leaflet).

Every map is drawn in a metric CRS so that distances are true (the project's, :data:`pxnet.geo.METRIC_CRS`, UTM
49N, for pxnet's networks; a user's graph in its own metric CRS or local UTM zone), and carries a title with the
scenario and data date, a legend, a scale bar, a north arrow and an attribution footer, laid out so that none
covers another. Given results (isochrones, skims, corridor tables), maps and charts only draw them. Chinese
labels use Noto Sans CJK (:func:`pxnet.plot.register_cjk_font`).
"""

from __future__ import annotations

# The public names. The code: _base (styles, projection, map axes), _furniture (scale bar, north arrow,
# attribution, title, boundaries, labels), _layers (links, markers, legend), one module per map type (_networkmap,
# _isomaps, _timemaps, _corridormap), _charts and _ensemble_chart (charts), _web (web maps), _fonts, _boundaries,
# _census (census units with their boundaries), _gcj.
# The API page lists the names in the order they are imported here: the network map first.
from ._base import MODE_STYLES as MODE_STYLES
from ._base import STATUS_STYLES as STATUS_STYLES
from ._base import ModeStyle as ModeStyle
from ._base import PlotError as PlotError
from ._base import root_figure as root_figure
from ._networkmap import plot_network as plot_network

# isort: split
from ._corridormap import plot_corridor as plot_corridor
from ._isomaps import plot_isochrones as plot_isochrones
from ._isomaps import plot_scenario_difference as plot_scenario_difference
from ._timemaps import plot_travel_times as plot_travel_times

# isort: split
from ._charts import figure_comparison as figure_comparison
from ._charts import figure_gba_times as figure_gba_times
from ._charts import figure_impacts as figure_impacts
from ._charts import figure_sensitivity as figure_sensitivity
from ._charts import figure_status as figure_status
from ._charts import save_figure as save_figure
from ._ensemble_chart import figure_ensemble as figure_ensemble

# isort: split
from ._web import LEAFLET_VERSION as LEAFLET_VERSION
from ._web import explore_isochrones as explore_isochrones
from ._web import explore_network as explore_network
from ._web import explore_scenario_difference as explore_scenario_difference
from ._web import save_html as save_html

# isort: split
from ._boundaries import BoundaryNote as BoundaryNote
from ._boundaries import boundaries_available as boundaries_available
from ._boundaries import load_boundaries as load_boundaries
from ._boundaries import load_coast as load_coast
from ._census import census_units as census_units
from ._fonts import cjk_font_path as cjk_font_path
from ._fonts import register_cjk_font as register_cjk_font

__all__ = [
    "LEAFLET_VERSION",
    "MODE_STYLES",
    "STATUS_STYLES",
    "BoundaryNote",
    "ModeStyle",
    "PlotError",
    "boundaries_available",
    "census_units",
    "cjk_font_path",
    "explore_isochrones",
    "explore_network",
    "explore_scenario_difference",
    "figure_comparison",
    "figure_ensemble",
    "figure_gba_times",
    "figure_impacts",
    "figure_sensitivity",
    "figure_status",
    "load_boundaries",
    "load_coast",
    "plot_corridor",
    "plot_isochrones",
    "plot_network",
    "plot_scenario_difference",
    "plot_travel_times",
    "register_cjk_font",
    "root_figure",
    "save_figure",
    "save_html",
]

"""Optional administrative boundaries for maps, from the ``cnmaps`` package when it is installed.

``cnmaps`` (with its data package) is heavy, so it is an optional extra and imported only when asked for.
Without it, :func:`load_boundaries` returns ``None`` after a :class:`BoundaryNote` saying how to get it, and
maps are drawn without boundaries.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import BoundaryNote

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["BOUNDARY_SOURCE", "BoundaryNote", "boundaries_available", "load_boundaries"]

#: Attribution line for maps that draw boundaries from cnmaps.
BOUNDARY_SOURCE = "boundaries: cnmaps (source as given in its 来源 column)"
#: Provinces of the Pingxiang – Greater Bay Area corridor.
CORRIDOR_PROVINCES = ("江西省", "湖南省", "广东省")


def _cnmaps() -> Any:
    return importlib.import_module("cnmaps")


def boundaries_available() -> bool:
    """Whether ``cnmaps`` can be imported.

    Examples
    --------
    >>> isinstance(boundaries_available(), bool)
    True
    """
    try:
        _cnmaps()
    except ImportError:
        return False
    return True


def load_boundaries(provinces: Sequence[str] = CORRIDOR_PROVINCES, *, level: str = "市") -> gpd.GeoDataFrame | None:
    """Administrative boundaries of some provinces, WGS-84, or ``None`` when ``cnmaps`` is unavailable.

    Parameters
    ----------
    provinces
        Province names as cnmaps spells them (``"江西省"``).
    level
        ``"省"`` (provinces), ``"市"`` (prefecture-level cities) or ``"区县"`` (counties).

    Returns
    -------
    geopandas.GeoDataFrame or None
        Columns ``name`` and ``geometry`` (EPSG:4326); ``attrs["source"]`` is the attribution line.
        ``None``, after a :class:`BoundaryNote`, when ``cnmaps`` is missing or cannot answer.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", BoundaryNote)
    ...     b = load_boundaries(["江西省"], level="省")
    >>> b is None or len(b) >= 1
    True
    """
    try:
        cnmaps = _cnmaps()
    except ImportError:
        warnings.warn(
            "administrative boundaries need the optional package cnmaps (pip install 'pxnet[boundaries]'); "
            "drawing the map without them",
            BoundaryNote,
            stacklevel=2,
        )
        return None
    import geopandas as gpd
    import pandas as pd

    frames = []
    try:
        for province in provinces:
            part = cnmaps.get_adm_maps(province=province, level=level, engine="geopandas")
            frames.append(part)
    except Exception as exc:  # a third-party data package: any failure means "no boundaries"
        warnings.warn(f"cnmaps could not give boundaries ({type(exc).__name__}: {exc})", BoundaryNote, stacklevel=2)
        return None
    joined = pd.concat(frames, ignore_index=True)
    name_col = {"省": "省/直辖市", "市": "市", "区县": "区/县"}.get(level, "市")
    names = joined[name_col] if name_col in joined else pd.Series([""] * len(joined))
    out = gpd.GeoDataFrame({"name": names.astype(str)}, geometry=joined.geometry.to_numpy(), crs="EPSG:4326")
    out.attrs["source"] = BOUNDARY_SOURCE
    return out

"""CJK font registration for matplotlib, so that 萍乡 renders as text and not as empty boxes.

pxnet's maps label places in Chinese. The font comes from the PyPI package ``noto-cjk-sans-otc`` (Noto
Sans CJK, SIL Open Font License 1.1); without it pxnet falls back to a CJK font already known to matplotlib
and warns if there is none.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FontWarning, warn

__all__ = ["CJK_FAMILY", "FontWarning", "cjk_font_path", "register_cjk_font"]

#: The family put first in ``font.sans-serif`` (the simplified-Chinese face of the collection).
CJK_FAMILY = "Noto Sans CJK SC"
# Families tried, in order, when the Noto package is missing.
_FALLBACKS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "PingFang SC")

_registered: str | None = None


def cjk_font_path() -> Path | None:
    """Return the Noto Sans CJK collection shipped by ``noto-cjk-sans-otc``, or ``None`` if it is not installed.

    Examples
    --------
    >>> cjk_font_path().name
    'NotoSansCJK-Regular.ttc'
    """
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


def register_cjk_font() -> str | None:
    """Register a CJK font with matplotlib and put it first in ``font.sans-serif``; idempotent.

    Returns
    -------
    str or None
        The family used (``"Noto Sans CJK SC"`` when ``noto-cjk-sans-otc`` is installed; ``"Noto Sans CJK JP"``,
        which also covers simplified Chinese, with matplotlib < 3.11), or ``None`` after a :class:`FontWarning`
        when no CJK font can be found.

    Examples
    --------
    >>> family = register_cjk_font()
    >>> family.startswith("Noto Sans CJK")
    True
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0] == family
    True
    """
    global _registered
    import matplotlib
    from matplotlib import font_manager

    family: str | None = None
    if _registered is not None:
        family = _registered
    else:
        path = cjk_font_path()
        if path is not None:
            # A .ttc holds JP/KR/SC/TC/HK faces. matplotlib >= 3.11 registers each under its own family name;
            # older versions only the first (JP), whose glyphs cover simplified Chinese as well.
            font_manager.fontManager.addfont(str(path))
            faces = {f.name for f in font_manager.fontManager.ttflist if Path(f.fname) == path}
            family = CJK_FAMILY if CJK_FAMILY in faces else min(faces, default=None)
        else:
            known = {f.name for f in font_manager.fontManager.ttflist}
            family = next((f for f in _FALLBACKS if f in known), None)
        if family is None:
            warn("no CJK font found: Chinese labels will show as boxes; install noto-cjk-sans-otc", FontWarning)
            return None
        _registered = family
    current = [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
    matplotlib.rcParams["font.sans-serif"] = [family, *current]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    return family

"""A CJK web font for the HTML report: the glyphs the page uses, cut from the bundled Noto Sans CJK SC.

The ``noto-cjk-sans-otc`` package (a pxnet dependency, SIL Open Font License 1.1) ships the whole collection,
about 19 MB. Embedding it, or even one face of it, would make every report many megabytes; linking to the
package's file would break as soon as the report is copied elsewhere. So the report embeds a *subset*: only the
characters on the page, from the simplified-Chinese face, as a WOFF data URL (typically 100–400 KB). The page
then renders the same on a machine with no CJK font at all, and offline. The subset is byte-reproducible: the
same text gives the same bytes in every process (characters sorted, the face's timestamps kept).
"""

from __future__ import annotations

import base64
import io

from ..plot import cjk_font_path

#: The CSS family name of the embedded subset.
FAMILY = "pxnet Noto Sans CJK SC"
_SC_FACE = "Noto Sans CJK SC"


def font_face(text: str) -> str:
    """Return a CSS ``@font-face`` rule embedding the glyphs of ``text``, or ``""`` when the font is missing.

    Examples
    --------
    >>> rule = font_face("萍乡")
    >>> rule.startswith("@font-face{font-family:'pxnet Noto Sans CJK SC'")
    True
    """
    path = cjk_font_path()
    if path is None:
        return ""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    faces = [f["name"].getDebugName(1) for f in TTCollection(str(path), lazy=True).fonts]
    number = faces.index(_SC_FACE) if _SC_FACE in faces else 0
    # Bounding boxes stay those of the whole face: recomputing them costs seconds and changes nothing drawn.
    # The face's own timestamps are kept (fontTools would stamp head.modified with the time of saving), so the
    # same page gives the same bytes in every run and two reports can be compared.
    font = TTFont(str(path), fontNumber=number, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff"  # zlib; WOFF2 would need brotli, which is not a dependency
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) | set(" 0123456789"))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f"@font-face{{font-family:'{FAMILY}';src:url(data:font/woff;base64,{data}) format('woff');"
        "font-display:swap}/* Noto Sans CJK SC subset, SIL Open Font License 1.1 */"
    )

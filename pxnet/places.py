"""Resolve place names (id, Chinese or English, case-insensitive) to node ids, with suggestions.

Besides ids and names, a place is found by its romanised name without spaces or with the direction in pinyin
(``"Pingxiangbei"`` = 萍乡北 = Pingxiang North), and by its traditional characters (``"廣州"``), folded to simplified
with OpenCC's table when ``opencc-python-reimplemented`` is installed. Suggestions for an unknown Chinese name
rank homophones first: each character's pinyin is learnt from the data's own ``name_zh``/``name_en`` pairs, so
``"广洲"`` (guang-zhou) suggests 广州市 before 株洲市.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

import pandas as pd

from . import vocabulary
from .errors import UnknownPlaceError
from .vocabulary import close_matches

# Preferred kinds when one name fits several nodes (萍乡 the city vs 萍乡 the station).
_KIND_RANK = {
    "city": 0,
    "county_seat": 1,
    "scenic": 2,
    "hsr_station": 3,
    "rail_station": 4,
    "airport": 5,
    "port": 6,
    "ga_airport": 7,
    "freight_yard": 8,
    "interchange": 9,
    "junction": 10,
}
_ZH_SUFFIXES = ("特别行政区", "市", "县", "区", "站", "风景区", "景区", "国际机场", "机场")
_BRACKETS = re.compile(r"\s*[(（]([^()（）]*)[)）]")
_EN_SUFFIXES = (" city", " county", " district", " station", " railway station", " international airport", " airport")
# An airport's IATA code in brackets, e.g. "(CSX)", is also a name for it.
_CODE = re.compile(r"[a-z]{3}")


def normalise(name: str) -> str:
    """Fold case, width and spaces so that ``"Pingxiang  North"`` matches ``"pingxiang north"``.

    Examples
    --------
    >>> normalise("  Pingxiang  North ")
    'pingxiang north'
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


# English direction words and the pinyin of the character a Chinese station name ends with.
_DIRECTIONS = {"north": "bei", "south": "nan", "east": "dong", "west": "xi"}
_LATIN_DROP = frozenset({"city", "county", "district", "station", "railway", "conventional"})
_INITIALS = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINALS = (
    "(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu|ua|uo|ui|ue|ve"
    "|er|a|o|e|i|u|v)"
)
_SYLLABLE = f"({_INITIALS}{_FINALS})"
_CJK = re.compile(r"[\u3400-\u9fff]")


@functools.cache
def _traditional_to_simplified() -> Callable[[str], str] | None:
    try:
        import opencc
    except ImportError:  # optional: without it traditional names are just not folded
        return None
    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def fold(name: str) -> str:
    """:func:`normalise` and, for Chinese text, traditional characters folded to simplified.

    Examples
    --------
    >>> fold("廣州") == "广州" or _traditional_to_simplified() is None
    True
    """
    n = normalise(name)
    convert = _traditional_to_simplified() if _CJK.search(n) else None
    return convert(n) if convert is not None else n


def latin_key(name: str) -> str:
    """Fold a romanised name to letters only, directions in pinyin: ``"Pingxiang North"`` → ``"pingxiangbei"``.

    Examples
    --------
    >>> latin_key("Pingxiang North"), latin_key("Ji'an West (Changgan HSR)"), latin_key("萍乡")
    ('pingxiangbei', 'jianxi', '')
    """
    n = _BRACKETS.sub("", normalise(name))
    if not n.isascii():
        return ""
    words = [w for w in re.split(r"[^a-z]+", n) if w and w not in _LATIN_DROP]
    return "".join(_DIRECTIONS.get(w, w) for w in words)


def _syllables(zh: str, latin: str) -> dict[str, str]:
    """Each character of a Chinese name with its pinyin syllable, when the romanised name splits into one each."""
    if not zh or not latin or not all(_CJK.fullmatch(c) for c in zh):
        return {}
    m = re.fullmatch(_SYLLABLE * len(zh), latin)
    return dict(zip(zh, m.groups(), strict=True)) if m else {}


def _bare_zh(name: str) -> str:
    bare = _BRACKETS.sub("", normalise(name)).strip()
    for suffix in _ZH_SUFFIXES:
        if bare.endswith(suffix) and len(bare) > len(suffix) + 1:
            return bare[: -len(suffix)]
    return bare


def _aliases(name: str) -> set[str]:
    """Return the name, the name without a bracketed remark, and both without an administrative suffix."""
    n = normalise(name)
    out = {n}
    bare = _BRACKETS.sub("", n).strip()
    if bare:
        out.add(bare)
    out.update(remark for remark in _BRACKETS.findall(n) if _CODE.fullmatch(remark))
    for base in (n, bare):
        for suffix in _ZH_SUFFIXES + _EN_SUFFIXES:
            if base.endswith(suffix) and len(base) > len(suffix) + 1:
                out.add(base[: -len(suffix)].strip())
    return out


class PlaceIndex:
    """Look up nodes by id, Chinese or English name (and those names without 市/县/区/站 suffixes).

    Parameters
    ----------
    nodes
        The network's node table (``id``, ``name_zh``, ``name_en``, ``kind``).
    """

    def __init__(self, nodes: pd.DataFrame) -> None:
        self._kinds = dict(zip(nodes["id"], nodes["kind"], strict=True))
        self._exact: dict[str, list[str]] = {}
        self._alias: dict[str, list[str]] = {}
        # Romanised keys (letters only) and the pinyin of each character, both learnt from the data.
        self._latin: dict[str, list[str]] = {}
        self._pinyin: dict[str, str] = {}
        for node_id, zh, en in zip(nodes["id"], nodes["name_zh"], nodes["name_en"], strict=True):
            for name in (node_id, zh, en):
                self._exact.setdefault(normalise(name), []).append(node_id)
                for alias in _aliases(name):
                    self._alias.setdefault(alias, []).append(node_id)
            latin = latin_key(en)
            if latin:
                self._latin.setdefault(latin, []).append(node_id)
                for char, syllable in _syllables(_bare_zh(zh), latin).items():
                    self._pinyin.setdefault(char, syllable)
        # Answers already given; skims resolve the same names again and again.
        self._resolved: dict[tuple[str, frozenset[str] | None], str] = {}
        self._labels = {
            nid: f"{zh} ({en})" for nid, zh, en in zip(nodes["id"], nodes["name_zh"], nodes["name_en"], strict=True)
        }

    def candidates(self, name: str, *, kinds: Iterable[str] | None = None) -> list[str]:
        """All node ids a name may mean, best first.

        Places (city, county seat, scenic area) come before stations and other nodes, so ``"萍乡"`` is the
        city, not the conventional station of that name; a name ending in ``站``/``station`` asks for a
        station. Within a kind, an exact name comes before one matched without its suffix.
        """
        allowed = set(kinds) if kinds is not None else None
        key = fold(name)
        if key.endswith("站") or key.endswith(" station"):
            allowed = (allowed or set(vocabulary.STATION_KINDS)) & set(vocabulary.STATION_KINDS)
        if key in self._exact and self._exact[key][0] == key:  # an id is unambiguous
            node_id = self._exact[key][0]
            if allowed is None or self._kinds[node_id] in allowed:
                return [node_id]
        # The name as given first; only if nothing is called that, the name without its suffix, so that
        # "香港国际机场" is the airport and not the city "香港".
        latin = {latin_key(key)} - {""}
        for lookups in (
            ((0, self._exact, {key}), (1, self._alias, {key})),
            ((2, self._alias, _aliases(key)),),
            ((3, self._latin, latin),),
        ):
            ranked: dict[str, tuple[int, int]] = {}
            for exactness, table, aliases in lookups:
                for alias in aliases:
                    for node_id in table.get(alias, []):
                        if allowed is None or self._kinds[node_id] in allowed:
                            rank = (_KIND_RANK.get(self._kinds[node_id], 99), exactness)
                            ranked[node_id] = min(ranked.get(node_id, rank), rank)
            if ranked:
                return sorted(ranked, key=lambda n: ranked[n])
        return []

    def resolve(self, name: str, *, kinds: Iterable[str] | None = None) -> str:
        """Return the node id for ``name``.

        Parameters
        ----------
        name
            An id, Chinese name or English name, case-insensitive; ``市``/``县``/``站`` suffixes optional.
        kinds
            Restrict to these node kinds (e.g. ``pxnet.vocabulary.STATION_KINDS``).

        Raises
        ------
        UnknownPlaceError
            If nothing matches; the error lists the closest names.
        """
        if not isinstance(name, str):
            raise UnknownPlaceError(repr(name), [])
        key = (name, frozenset(kinds) if kinds is not None else None)
        hit = self._resolved.get(key)
        if hit is not None:
            return hit
        found = self.candidates(name, kinds=kinds)
        if found:
            self._resolved[key] = found[0]
            return found[0]
        close = self.suggest(name, kinds=kinds)
        raise UnknownPlaceError(name, close, hint=vocabulary.suggestion_hint(close, quote=False))

    def suggest(self, name: str, *, kinds: Iterable[str] | None = None, n: int = 5) -> list[str]:
        """Return the closest known names, as ``"中文 (English)"`` labels, best first.

        Homophones of a Chinese name come first (same pinyin, e.g. ``"广洲"`` → 广州市), then names that
        contain or are contained in the name, then the closest spellings (:func:`pxnet.vocabulary.close_matches`),
        also of the romanised names.
        """
        allowed = set(kinds) if kinds is not None else None
        key = fold(name)
        pool = {
            alias: ids
            for alias, ids in self._alias.items()
            if allowed is None or any(self._kinds[i] in allowed for i in ids)
        }
        hits: list[str] = []
        sound = "".join(self._pinyin.get(c, "?") for c in _bare_zh(key)) if _CJK.search(key) else ""
        if sound and "?" not in sound:
            hits.extend(self._latin.get(sound, []))
        for alias in sorted(pool, key=len):
            if key and (key in alias or alias in key) and len(alias) > 1:
                hits.extend(pool[alias])
        for alias in close_matches(key, pool, n=n, cutoff=0.5):
            hits.extend(pool[alias])
        latin = latin_key(key) or sound.replace("?", "")
        if latin:
            for alias in close_matches(latin, self._latin, n=n, cutoff=0.75):
                hits.extend(self._latin[alias])
        labels: list[str] = []
        for node_id in hits:
            if allowed is not None and self._kinds[node_id] not in allowed:
                continue
            label = self._labels[node_id]
            if label not in labels:
                labels.append(label)
        return labels[:n]

"""Keywords gathered as ``**options``: refused when unknown, spelled out in the signature, made into records.

A family of options arrives as ``**options: Unpack[SomeKeywords]`` (a ``TypedDict``: type checkers and editors
see every keyword and its type), is checked with :func:`accept_keywords` (a keyword the function does not take
fails with the nearest it does, :func:`pxnet.vocabulary.check_keywords`) and becomes a frozen :class:`Options`
record that validates its values when made. :func:`spelled_out` gives the function the signature a user reads
(``help``, ``inspect``, the API docs): every keyword by name, with its default.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ForwardRef, TypeVar

from .. import vocabulary

__all__ = ["Options", "accept_keywords", "keyword_names", "spelled_out"]

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R", bound="Options")


def accept_keywords(given: Mapping[str, object], keywords: type, *, function: str) -> None:
    """Refuse a keyword that ``function`` does not take: ``keywords`` is the ``TypedDict`` of its ``**options``.

    Examples
    --------
    >>> from typing import TypedDict
    >>> class Timing(TypedDict, total=False):
    ...     departure: str
    ...     arrival: str
    >>> accept_keywords({"departure": "07:30"}, Timing, function="travel_time")
    >>> accept_keywords({"arival": "12:00"}, Timing, function="travel_time")
    Traceback (most recent call last):
    ...
    pxnet.errors.ArgumentError: travel_time() got an unexpected keyword 'arival' (did you mean 'arrival'?)
    """
    vocabulary.check_keywords(given, keyword_names(keywords), function=function)


def keyword_names(keywords: type) -> list[str]:
    """Return the keys of a ``TypedDict`` in the order they are declared, those of its bases first."""
    return list(getattr(keywords, "__annotations__", {}))


def spelled_out(keywords: type, *records: type[Options]) -> Callable[[F], F]:
    """Give a function taking ``**options: Unpack[keywords]`` the signature that names each keyword.

    ``inspect.signature``, ``help`` and the API docs then show every keyword by name, with its default from the
    ``records`` that hold it and its type from ``keywords``; the function itself, and what mypy checks, are
    unchanged.

    Examples
    --------
    >>> import inspect
    >>> from dataclasses import dataclass
    >>> from typing import TypedDict
    >>> class DrawKeywords(TypedDict, total=False):
    ...     colour: str
    ...     width: float
    >>> @dataclass(frozen=True)
    ... class Draw(Options):
    ...     colour: str = "black"
    ...     width: float = 1.0
    >>> @spelled_out(DrawKeywords, Draw)
    ... def draw(shape: str, **options: object) -> None: ...
    >>> list(inspect.signature(draw).parameters)
    ['shape', 'colour', 'width']
    >>> inspect.signature(draw).parameters["width"]
    <Parameter "width: 'float' = 1.0">
    """
    defaults = {f.name: f.default for record in reversed(records) for f in dataclasses.fields(record)}
    annotations: dict[str, Any] = getattr(keywords, "__annotations__", {})
    missing = [name for name in annotations if name not in defaults]
    if missing:
        raise TypeError(f"no default for {', '.join(missing)} in {', '.join(r.__name__ for r in records)}")

    def decorate(function: F) -> F:
        own = inspect.signature(function)
        kept = [p for p in own.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        named = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=defaults[name], annotation=_text(kind))
            for name, kind in annotations.items()
        ]
        function.__signature__ = own.replace(parameters=[*kept, *named])  # type: ignore[attr-defined]
        return function

    return decorate


def _text(annotation: object) -> object:
    """Return a ``TypedDict`` field's type as its source text (a forward reference under postponed annotations)."""
    return annotation.__forward_arg__ if isinstance(annotation, ForwardRef) else annotation


@dataclass(frozen=True, kw_only=True)
class Options:
    """A frozen group of options, validated when made."""

    @classmethod
    def pick(cls: type[R], given: Mapping[str, Any]) -> R:
        """Return the record made of the keywords in ``given`` that are its fields (the others keep defaults)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{name: value for name, value in given.items() if name in names})

"""Griffe extension: Sphinx roles in docstrings become mkdocstrings cross-references or code.

``:func:`travel_time``` → ``[`travel_time`][pxnet.routing.travel_time]`` when the target is a documented
function, class or method; anything else (attributes, undocumented modules) becomes plain ``` `code` ```.
``~`` (show the last part only) is understood. Use in mkdocs.yml under the python handler's options:
``extensions: [path/to/griffe_sphinx_roles.py]``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|data|mod|obj|exc|const):`(~?)([^`]+)`")
_LINKABLE = {"function", "class"}


class SphinxRoles(griffe.Extension):
    def __init__(self, skip_modules: list[str] | None = None) -> None:
        self.skip = set(skip_modules or ["pxnet.geo", "pxnet.routing.graph._csr", "pxnet.routing.graph._router"])

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        self._walk(pkg)

    def _walk(self, obj: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(lambda m: self._link(m, obj), obj.docstring.value)
        for member in obj.members.values():
            if not member.is_alias:
                self._walk(member)

    def _find(self, target: str, obj: Any) -> Any:
        collection = obj.modules_collection
        candidates = [target]
        head, _, rest = target.partition(".")
        for scope in (obj, obj.parent, obj.module):
            if scope is None:
                continue
            try:
                path = scope.resolve(head)
            except Exception:
                continue
            candidates.append(path + ("." + rest if rest else ""))
        for path in candidates:
            try:
                found = collection[path]
            except Exception:
                continue
            return found.final_target if found.is_alias else found
        return None

    def _link(self, m: re.Match[str], obj: Any) -> str:
        tilde, target = m.group(1), m.group(2).lstrip(".")
        shown = target.rsplit(".", 1)[-1] if tilde else target
        found = self._find(target, obj)
        if (
            found is not None
            and found.kind.value in _LINKABLE
            and found.module.path not in self.skip
            and not any(part.startswith("_") for part in found.path.split(".")[1:] if part != "__init__")
        ):
            return f"[`{shown}`][{found.path}]"
        return f"`{shown}`"

"""Fixtures shared by every test folder, one module a topic in ``tests/fixtures/``.

- ``fixtures.networks``: small, real slices of the network written to temporary data folders
  (``make_folder``, ``folder``, ``network_folder``).

Tests mirror the packages (``tests/routing/`` for ``pxnet.routing`` …); a folder's own fixtures live in its
test modules or in a ``conftest.py`` beside them.
"""

pytest_plugins = ["tests.fixtures.networks"]

"""The rest of the standard library, fetched the first time something needs it.

Shipped inside the browser's small standard library (`python_stdlib_tools.zip`, made by
build/precompile_in_pyodide.py), which holds only the modules the tools were seen to
import at build time. Any other standard-library module still imports: the first time one
is asked for, `fetch()` brings Pyodide's whole `python_stdlib.zip` (once), and the module
is imported from it. The worker passes a `fetch` that downloads the file synchronously,
which a Web Worker may do without freezing the page.

Only the names listed at build time (`cssc_stdlib_rest.txt`: what the whole library has
and the small one does not) are fetched for; a name that is in neither, such as an optional
dependency a library tries (`import lxml`), fails at once as it always has, without a
download.
"""

from __future__ import annotations

import sys
from importlib.machinery import PathFinder
from typing import Any, Callable

__all__ = ["RestOfStdlib", "install", "NAMES_FILE"]

NAMES_FILE = "cssc_stdlib_rest.txt"


class RestOfStdlib:
    """A finder placed last on sys.meta_path: it answers only for modules of the standard
    library that the small archive left out, after every other finder has said no."""

    def __init__(self, fetch: Callable[[], Any], names: frozenset[str], archive: str) -> None:
        self._fetch = fetch
        self.names = names
        self.archive = archive  # where the whole library is written once fetched
        self.fetched = False

    def _ensure_fetched(self, fullname: str) -> None:
        if self.fetched:
            return
        try:
            data = self._fetch()
        except Exception as problem:  # the server, or the link, failed: say which module wanted it
            raise ImportError(f"the module {fullname} is not in the tools' standard library, and the rest of "
                              f"it could not be fetched ({problem})", name=fullname) from None
        # A JavaScript Uint8Array arrives as a proxy with to_bytes(); bytes stay bytes.
        data = data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)
        with open(self.archive, "wb") as file:
            file.write(data)
        self.fetched = True

    def find_spec(self, fullname: str, path: Any = None, target: Any = None):
        if fullname not in self.names:
            return None
        self._ensure_fetched(fullname)
        parent = fullname.rpartition(".")[0]
        where = f"{self.archive}/{parent.replace('.', '/')}" if parent else self.archive
        spec = PathFinder.find_spec(fullname, [where])
        if spec is not None and parent:
            # The package came from the small archive: let it see its other half, so its
            # next submodule from the whole library is found by the ordinary finder.
            search = getattr(sys.modules.get(parent), "__path__", None)
            if isinstance(search, list) and where not in search:
                search.append(where)
        return spec


def install(fetch: Callable[[], Any], archive: str = "/lib/python_stdlib_whole.zip",
            names: frozenset[str] | None = None) -> RestOfStdlib:
    """Put the finder last on sys.meta_path (once); `names` defaults to the list shipped
    beside this module in the small archive."""
    if names is None:
        names = frozenset(__loader__.get_data(_beside_me(NAMES_FILE)).decode("utf-8").split())  # noqa: F821
    for finder in sys.meta_path:
        if isinstance(finder, RestOfStdlib):
            return finder
    finder = RestOfStdlib(fetch, names, archive)
    sys.meta_path.append(finder)
    return finder


def _beside_me(name: str) -> str:
    return __file__.rpartition("/")[0] + "/" + name

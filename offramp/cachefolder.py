"""The cache folder, and Offramp's own data files kept there compiled.

Every command that reads the catalog or the scanner's rules would parse some 300 KB of TOML and build the
pydantic validators for them first: a fifth of a second before any work, on every start. What the data
files give is the same until Offramp changes, so :func:`compiled` keeps it pickled in the cache folder,
under a hash of the ``offramp`` package's files (code and data) and of the Python and tree-sitter
versions, the same fingerprint the facts cache (:mod:`offramp.scan.cache`) uses: a new or edited Offramp
compiles afresh. Anything that cannot be read or written there is compiled in the process, no error.

Pickles are read only from a folder that the user alone owns and can write (``~/.cache/offramp``, or
``$OFFRAMP_CACHE_DIR``): a pickle planted by anyone else could run code.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from offramp import collector

T = TypeVar("T")

COMPILED_FOLDER = "compiled"
KEPT_COMPILED = 64
"""Compiled files kept: the most recently written (older Offramps' are pruned)."""
_GRAMMARS = ("tree_sitter", "tree_sitter_javascript", "tree_sitter_typescript", "tree_sitter_go",
             "tree_sitter_java", "tree_sitter_kotlin")
_FORMAT = "offramp-compiled-1"


def default_directory() -> Path:
    """``$OFFRAMP_CACHE_DIR``, else ``$XDG_CACHE_HOME/offramp``, else ``~/.cache/offramp``."""
    if configured := os.environ.get("OFFRAMP_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "offramp"


def private(directory: Path) -> bool:
    """Whether only this user can write ``directory`` (a pickle from anyone else could run code)."""
    try:
        info = os.stat(directory)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def compiled(name: str, build: Callable[[], T], *sources: str) -> T:
    """``build()``, or what it returned when this same Offramp ran it before. ``name`` says what is built;
    ``sources`` are texts it reads from outside the ``offramp`` package, if any (the fingerprint covers
    the package's own files). ``build`` may raise: nothing is kept then."""
    key = hashlib.blake2b(digest_size=20)
    for part in (_FORMAT, engine_fingerprint().decode(), name, *sources):
        key.update(part.encode("utf-8", "surrogatepass") + b"\0")
    folder = default_directory() / COMPILED_FOLDER
    path = folder / f"{key.hexdigest()}.pickle"
    if private(folder):
        try:
            with open(path, "rb") as stream:
                data = stream.read()
            with collector.paused():
                kept: T = pickle.loads(data)  # see private()
            return kept
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            pass  # not compiled yet, or unreadable: compiled again below
    value = build()
    _keep(folder, path, value)
    return value


def _keep(folder: Path, path: Path, value: object) -> None:
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # a value of a class defined where pickle cannot find it again
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".compiled-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)  # whole or not at all, whoever else compiles at the same time
        except BaseException:
            os.unlink(temporary)
            raise
        for stale in sorted(folder.glob("*.pickle"), key=_modified, reverse=True)[KEPT_COMPILED:]:
            stale.unlink(missing_ok=True)
    except OSError:
        return


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


_fingerprint: bytes | None = None


def engine_fingerprint() -> bytes:
    """A hash of everything Offramp's results depend on besides its input: the offramp package's own files
    (code and data), the Python version, and the installed tree-sitter grammars. Files count by their size
    and modification time, as for Python's bytecode: hashing their bytes took longer than the rest of a
    repeated scan's start."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(sys.version.encode())
        digest.update(_stamp(str(Path(__file__).resolve().parent)).encode())
        for grammar in _GRAMMARS:
            spec = importlib.util.find_spec(grammar)
            for location in (spec.submodule_search_locations or [spec.origin]) if spec else ():
                digest.update(f"{grammar}:{_stamp(location)}".encode())
        _fingerprint = digest.hexdigest().encode()
    return _fingerprint


def _stamp(location: str | None) -> str:
    """The name, size and modification time of every file of a package (or of a one-file module), as
    Python's own bytecode cache judges a source file: installing or editing a file changes them."""
    if not location:
        return ""
    if not os.path.isdir(location):
        try:
            info = os.stat(location)
        except OSError:
            return ""
        return f"{info.st_size}:{info.st_mtime_ns}"
    stamps = []
    for folder, folders, names in os.walk(location):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            if not name.endswith((".pyc", ".pyo")):
                try:
                    info = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                stamps.append(f"{os.path.relpath(os.path.join(folder, name), location)}:{info.st_size}:"
                              f"{info.st_mtime_ns}")
    return "\n".join(stamps)

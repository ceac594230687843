"""What each file's analysis gave, kept between scans of a tree: an unchanged file is not parsed again.

Parsing and analysing the files that mention a model API is most of a scan's work, and between two scans
of a repository (a developer's loop, a CI runner with a cache folder) almost every file is unchanged. A
result is reused only for the same file path and text (a hash of both), the same way of analysing it, and
the same offramp: the key covers the bytes of the ``offramp`` package (its code, rules and catalog) and
the tree-sitter grammars, so any change to the analysers starts a new cache. Each file is kept with its
stamp (inode, size, modification and change times) and the key of its analysis, or none when it mentions
no term of the prefilter: while the stamp stays the same, the file is not read again (nor hashed). A file
written less than two seconds before a scan read it gets no stamp (:data:`offramp.scan.walk.STAMP_MARGIN_NS`):
a second write within the same tick of the file system's clock would leave the same times, so the next
scan reads it. What remains is a file system whose clock runs more than two seconds behind this
machine's (a network share) and a file rewritten there within one of its clock ticks: ``--no-cache``
reads every file. One cache file per scanned folder, written whole at the end
of a scan (a new file replaces the old in one step, so two scans at once never leave half a file); it
holds only the files of the last scan.

The cache is pickled, so it is read only from a folder that the user alone owns and can write (the default
is ``~/.cache/offramp``; ``$OFFRAMP_CACHE_DIR`` moves it, ``offramp scan --no-cache`` leaves it alone).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from offramp.cachefolder import engine_fingerprint, private
from offramp.scan.facts import ModuleFacts
from offramp.scan.walk import Stamp


@dataclass(frozen=True)
class Unanalysed:
    """Why a file has no facts: it does not parse (``parse_error``), or its analyser gave up on it."""

    reason: str
    parse_error: bool


Outcome = ModuleFacts | Unanalysed
KEPT_TREES = 64
"""Cache files kept: the folders scanned most recently."""
_FORMAT = b"offramp-facts-2"


def file_key(relpath: str, text: str, eager: bool) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{relpath}\0{int(eager)}\0".encode("utf-8", "surrogatepass"))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


FileStamp = tuple[Stamp, bytes | None]
"""A file's stamp, and the key of its analysis (None: it mentions no prefilter term)."""


class FactsCache:
    """The outcomes of one tree's files, as pickles: ``known`` from the last scan, ``fresh`` from this one;
    and the files' stamps with the key of each one's analysis (``stamps``, ``fresh_stamps``): a file whose
    stamp is unchanged is not read again."""

    keeps_stamps = False
    """Whether the stamps of this scan's files are kept for the next: not in memory only, where bringing
    them back from the worker processes would be waste."""

    def __init__(self, known: dict[bytes, bytes] | None = None, stamps: dict[str, FileStamp] | None = None) -> None:
        self.known = known or {}
        self.fresh: dict[bytes, bytes] = {}
        self.stamps = {relpath: (stamp, key) for relpath, (stamp, key) in (stamps or {}).items()
                       if key is None or key in self.known}
        self.fresh_stamps: dict[str, FileStamp] = {}

    def get(self, key: bytes) -> bytes | None:
        return self.known.get(key)

    def keep(self, key: bytes, blob: bytes) -> None:
        self.fresh[key] = blob

    @staticmethod
    def dump(outcome: Outcome) -> bytes:
        return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def load(blob: bytes) -> Outcome:
        outcome: Outcome = pickle.loads(blob)  # written by offramp into a folder only the user can write
        return outcome


class TreeCache(FactsCache):
    """The cache of one scanned folder, in its file under ``directory``, for one set of prefilter ``terms``
    (a catalog of the user's own may add hosts)."""

    keeps_stamps = True

    def __init__(self, directory: Path, root: str, terms: Iterable[str]) -> None:
        self.directory = directory
        self.header = b" ".join((_FORMAT, engine_fingerprint(), _hash("\0".join(sorted(terms)))))
        self.path = directory / f"{_hash(root)[:24].decode()}.facts"
        super().__init__(*self._read())

    def _read(self) -> tuple[dict[bytes, bytes], dict[str, FileStamp]]:
        if not private(self.directory):
            return {}, {}
        try:
            with open(self.path, "rb") as stream:
                if stream.readline().rstrip(b"\n") != self.header:
                    return {}, {}
                known, stamps = pickle.load(stream)  # see private()
                return known, stamps
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return {}, {}  # none yet, or from another offramp: analysed afresh

    def save(self) -> None:
        """Write this scan's outcomes (every file it analysed, whether analysed or reused); a cache that
        cannot be written is no error, the next scan analyses again."""
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not private(self.directory):
                return
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".facts-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(self.header + b"\n")
                    pickle.dump((self.fresh, self.fresh_stamps), stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
            _prune(self.directory)
        except OSError:
            return


def _hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest().encode()


def _prune(directory: Path) -> None:
    """Keep the :data:`KEPT_TREES` cache files used last."""
    files = sorted(directory.glob("*.facts"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in files[KEPT_TREES:]:
        stale.unlink(missing_ok=True)

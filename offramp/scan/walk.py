"""Which files a scan reads, and how it reads them.

``discover`` walks the tree with ``os.scandir``: it honours ``.gitignore`` files at every level (plus the
repository's ``.git/info/exclude`` and the ``.gitignore`` files above the scanned folder, up to the repository
top), skips version-control, vendored and build folders, never follows a link (so it never leaves the tree
and never loops), and lists every file it could not take with the reason. ``read_source`` and
``read_candidate`` turn one file into text or raise :class:`SkipFile` saying why not.

Folder rules, in order (the first that applies wins):

1. ``.git``, ``.hg``, ``.svn``... are never scanned.
2. The user's ``exclude`` globs (gitignore syntax, relative to the root) always apply.
3. ``.gitignore`` rules apply unless ``respect_gitignore`` is off, with git's semantics (the tests compare
   with ``git ls-files`` on random trees): the last matching rule wins, a deeper file overrides a
   shallower one, and nothing inside an ignored folder can be re-included.
4. Unless ``include_vendored`` is on: folders named in :data:`VENDORED_DIRS` (third-party code and tool
   caches), any folder holding a ``pyvenv.cfg`` (a virtual environment, whatever its name), and the folders
   of :data:`OUTPUT_BESIDE_MANIFEST` when the manifest of the tool that makes them sits beside them.
   ``build``, ``dist``, ``out``, ``target``, ``coverage`` and ``vendor`` are common words (an insurer's
   ``coverage`` package, a marketplace's ``vendor`` app), so the name alone is not enough.

Links: a link is never followed. A link to a place inside the tree is silent (its target is scanned where
it lives, so nothing is counted twice); a link out of the tree, a link loop and a broken link are reported.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
import time
import tokenize
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from offramp.scan.comments import comment_lines
from offramp.scan.findings import SkippedFile
from offramp.scan.gitignore import IgnoreFile, folder_ignored, ignored

if TYPE_CHECKING:
    from offramp.scan.prefilter import Prefilter

K = TypeVar("K")

DEFAULT_MAX_FILE_BYTES = 2_000_000
IGNORE_FILE_MAX_BYTES = 1_000_000
"""An ignore file larger than this is not read (its folder is scanned as if it had none, and listed)."""

VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"})

VENDORED_DIRS = frozenset({
    # third-party code installed or checked in next to the product
    "node_modules", "bower_components", "jspm_packages", "third_party", "third-party", "site-packages",
    "dist-packages", ".venv", ".eggs", ".terraform", ".yarn", ".pnpm-store",
    # tool caches and generated state
    "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis",
    ".ipynb_checkpoints", ".next", ".nuxt", ".svelte-kit", ".turbo", ".parcel-cache", ".angular", ".gradle",
    ".cache", "htmlcov", ".nyc_output",
})  # fmt: skip
"""Folder names that mean third-party code or tool output wherever they appear."""

_PYTHON_MANIFESTS = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})
_JS_MANIFESTS = frozenset({"package.json", "tsconfig.json"})
_JVM_MANIFESTS = frozenset({
    "pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "build.sbt",
})  # fmt: skip

OUTPUT_BESIDE_MANIFEST: dict[str, frozenset[str]] = {
    "build": _PYTHON_MANIFESTS | _JS_MANIFESTS | _JVM_MANIFESTS,
    "dist": _PYTHON_MANIFESTS | _JS_MANIFESTS,
    "out": _JS_MANIFESTS | _JVM_MANIFESTS,
    "target": _JVM_MANIFESTS | {"Cargo.toml"},
    "coverage": _PYTHON_MANIFESTS | _JS_MANIFESTS,
    "vendor": frozenset({"go.mod", "composer.json", "Gemfile"}),
}
"""Folder names that are build output, reports or vendored code only when the manifest of the tool that
makes them sits beside them: ``src/shop/vendor/`` may be a product's own package, ``vendor/`` next to
``go.mod`` is ``go mod vendor`` output."""

VIRTUALENV_MARKER = "pyvenv.cfg"

BINARY_SNIFF_BYTES = 8192
"""A NUL byte in this many leading bytes marks a file as binary (git and ripgrep use the same rule)."""

MINIFIED_MIN_BYTES = 16_384
MINIFIED_MEAN_LINE_BYTES = 1000
"""A file of at least ``MINIFIED_MIN_BYTES`` whose lines average this many bytes is minified or generated:
hand-written code averages under a hundred."""

_PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BOMS = (codecs.BOM_UTF8, *_UTF16_BOMS)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # the last step of the path must not be a link swapped in since the walk
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in must not block the scan
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


READ_AHEAD = 1 << 16
"""Bytes read before ``fstat`` when no stamp is wanted: most source files are smaller, and the ``fstat``
(a system call and a stat record) is a fifth of the cost of reading one."""


class WalkError(Exception):
    """The root itself cannot be scanned; the message says why and what to do."""


class SkipFile(Exception):
    """A file that cannot be scanned; ``reason`` is ready for a :class:`SkippedFile`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SourceFile(NamedTuple):
    relpath: str
    """Path relative to the scanned root, with forward slashes."""
    abspath: str
    """Absolute path. A string, in a named tuple: building 100,000 ``Path`` objects (or frozen dataclasses)
    costs as much as listing the tree."""

    @property
    def path(self) -> Path:
        return Path(self.abspath)


by_relpath = itemgetter(0)
"""The sort key of :class:`SourceFile` s by ``relpath``, called in C for each of a tree's files."""


@dataclass(frozen=True)
class WalkOptions:
    suffixes: frozenset[str] = frozenset()
    """File suffixes to take, lower case with the dot: ``{".py", ".pyi"}``."""
    names: frozenset[str] = frozenset()
    """Exact file names to take whatever their suffix: ``{".env", "pyproject.toml"}``."""
    name_prefixes: tuple[str, ...] = ()
    """File-name prefixes to take: ``(".env",)`` takes ``.env.local`` and ``.env.production``."""
    respect_gitignore: bool = True
    include_vendored: bool = False
    exclude: tuple[str, ...] = ()
    """Gitignore-style globs relative to the root, from the user's policy; they always apply."""

    def wants(self, name: str) -> bool:
        dot = name.rfind(".")
        return (
            (dot > 0 and name[dot:].lower() in self.suffixes)
            or name in self.names
            or name.startswith(self.name_prefixes)
        )


@dataclass
class Discovery:
    files: list[SourceFile]
    """Files to scan, sorted by ``relpath`` (in the walk's order when ``discover`` gave them to ``found``)."""
    skipped: list[SkippedFile]
    """Files (and unreadable folders) that could hold an inference path but were not taken, with why."""
    skipped_folders: Counter[str] = field(default_factory=Counter)
    """How many folders were left out, per reason; they are not listed one by one."""


def discover(root: Path, options: WalkOptions,
             found: Callable[[list[SourceFile]], None] | None = None) -> Discovery:
    """Every file under ``root`` that ``options`` asks for, and every such file that had to be skipped.
    ``found`` is given each folder's files as the walk finds them (in no set order), so that work on them
    can start before the walk ends; the caller then orders them as it needs (the walk does not sort them)."""
    top = _resolve_root(root)
    walker = _Walker(top, options, found)
    walker.walk()
    if found is None:
        walker.files.sort(key=by_relpath)
    walker.skipped.sort(key=lambda s: s.file)
    return Discovery(walker.files, walker.skipped, walker.skipped_folders)


def read_source(file: SourceFile, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> str:
    """The file's text; raises :class:`SkipFile` when it is unreadable, too large, binary, minified or not
    UTF-8. The size limit is checked here, on the open file, rather than by ``discover``: one ``stat`` per
    file in the walk would cost as much as the walk itself, and ``fstat`` here is needed anyway."""
    return _decode(_utf8_bytes(read_regular_file(file.abspath, max_file_bytes)), file.relpath)


def read_candidate(
    file: SourceFile, prefilter: Prefilter, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> str | None:
    """The file's text when it mentions one of the prefilter's terms, else None (it is never decoded).

    Unreadable and too-large files raise :class:`SkipFile` whatever they hold; binary, minified and
    undecodable files raise it only when they mention a term, since only then could they hide a path.
    """
    return _candidate(file.abspath, file.relpath, None, prefilter, max_file_bytes)[0]


Stamp = tuple[int, int, int, int]
"""A file's inode, size, modification and change times (ns). The same stamp means the same bytes, when the
times are older than :data:`STAMP_MARGIN_NS` before the file was read: whoever writes a file changes its
change time, which nobody can set back, but two writes within one tick of the file system's clock (a few
milliseconds; two seconds on FAT) leave the same times."""

STAMP_MARGIN_NS = 2_000_000_000
"""A file read less than this after it was last written is not stamped (the next scan reads it again): a
write after the read could still give it the very same times. Two seconds cover FAT's granularity and a
small clock difference with a network file system."""


def _stamp(info: os.stat_result) -> Stamp:
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _candidate(path: str, relpath: str, dir_fd: int | None, prefilter: Prefilter,
               max_file_bytes: int, stamped: bool = True) -> tuple[str | None, os.stat_result | None]:
    """:func:`read_candidate` of ``path`` (relative to ``dir_fd`` when given), and what ``fstat`` said of
    the file it read (None for a small file when not ``stamped``: see :func:`_read_regular`)."""
    data, info = _read_regular(path, max_file_bytes, RAISE_THE_LIMIT, dir_fd, stamped)
    if data.startswith(_BOMS):
        data = _utf8_bytes(data)
    if not prefilter.matches(data) or _in_comments_only(data, relpath, prefilter):
        return None, info
    try:
        return _decode(data, relpath), info
    except SkipFile as skip:
        raise SkipFile(f"{skip.reason}; it mentions {prefilter.first_match(data)!r}") from None


def _in_comments_only(data: bytes, relpath: str, prefilter: Prefilter) -> bool:
    """Whether every mention of a term in ``data`` is in a whole-line comment. Most files that mention a term do
    so first in code; of the others, most also mention one on a line that is not a comment at all; only the rest
    are lexed, to tell their comments from the lines of their strings."""
    comments = comment_lines(relpath)
    if comments is None or not comments.on_comment_line(data, prefilter.first_end(data) or 0) or \
            prefilter.matches(comments.without_lookalikes(data)):
        return False
    code = comments.without(data)
    return code is not None and not prefilter.matches(code)


def _unchanged(path: str, dir_fd: int | None, stamp: Stamp, max_file_bytes: int) -> bool:
    """Whether the regular file at ``path`` still has ``stamp`` (and is within the size limit)."""
    if stamp[1] > max_file_bytes:
        return False
    try:
        info = os.lstat(path, dir_fd=dir_fd)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and _stamp(info) == stamp


@dataclass
class CandidateBatch(Generic[K]):
    texts: list[tuple[str, str]]
    """(relpath, text) of each file that mentions a prefilter term."""
    skipped: list[SkippedFile]
    files_read: int = 0
    stamps: dict[str, Stamp] = field(default_factory=dict)
    """The stamp of each file read (whether it mentions a term or not) that is old enough to trust."""
    unchanged: list[tuple[str, Stamp, K]] = field(default_factory=list)
    """(relpath, stamp, what ``known`` said of it) of each file not read, because its stamp is unchanged."""


def filter_candidates(
    root: str, relpaths: Sequence[str], prefilter: Prefilter, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    known: Mapping[str, tuple[Stamp, K]] | None = None, stamped: bool = True,
) -> CandidateBatch[K]:
    """Read a batch of files (``relpaths`` under ``root``) and keep those that mention a term. A file in
    ``known`` (from an earlier scan with the same terms) whose stamp is unchanged is not read again. With
    ``stamped`` False, the stamps of the files read are not needed (most are left out).

    Made for worker processes: the arguments are plain strings plus a prefilter that pickles as its terms
    (and is rebuilt once per process), and only the rare matching files travel back as text.
    """
    batch: CandidateBatch[K] = CandidateBatch([], [], files_read=len(relpaths))
    trusted_before = time.time_ns() - STAMP_MARGIN_NS  # before any read: a later write has later times
    try:  # paths from the root's descriptor: the kernel does not walk the root's own path for every file
        dir_fd: int | None = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
        prefix = ""
    except (OSError, NotImplementedError):
        dir_fd, prefix = None, root.rstrip(os.sep) + os.sep
    try:
        for relpath in relpaths:
            path = prefix + relpath
            if known and (entry := known.get(relpath)) is not None and _unchanged(path, dir_fd, entry[0],
                                                                                   max_file_bytes):
                batch.unchanged.append((relpath, *entry))
                continue
            try:
                text, info = _candidate(path, relpath, dir_fd, prefilter, max_file_bytes, stamped)
            except SkipFile as skip:
                batch.skipped.append(SkippedFile(relpath, skip.reason))
                continue
            if text is not None:
                batch.texts.append((relpath, text))
            if info is not None and info.st_mtime_ns < trusted_before and info.st_ctime_ns < trusted_before:
                batch.stamps[relpath] = _stamp(info)
    finally:
        if dir_fd is not None:
            os.close(dir_fd)
    return batch


# --- the walk ---------------------------------------------------------------------------------------------


class _Walker:
    def __init__(self, top: Path, options: WalkOptions,
                 found: Callable[[list[SourceFile]], None] | None = None) -> None:
        self.top = top
        self.found = found
        self.top_str = str(top)
        self.options = options
        self.files: list[SourceFile] = []
        self.skipped: list[SkippedFile] = []
        self.skipped_folders: Counter[str] = Counter()
        self.exclude = _exclude_rules(options.exclude) if options.exclude else None

    def walk(self) -> None:
        rules = self._rules_above_root() if self.options.respect_gitignore else ()
        stack: list[tuple[str, str, tuple[IgnoreFile, ...]]] = [(self.top_str, "", rules)]
        while stack:
            directory, rel, rules = stack.pop()
            try:
                with os.scandir(directory) as listing:
                    entries = list(listing)
            except OSError as exc:
                self._skip(rel or ".", f"folder could not be listed: {exc.strerror or exc}")
                continue
            names = {entry.name for entry in entries}
            if rel and not self.options.include_vendored and VIRTUALENV_MARKER in names:
                self.skipped_folders["virtual environment"] += 1
                continue
            if self.options.respect_gitignore and ".gitignore" in names:
                own = self._load_ignore_file(os.path.join(directory, ".gitignore"), rel)
                if own is not None:
                    rules = (*rules, own)
            prefix = rel + "/" if rel else ""
            wants = self.options.wants
            before = len(self.files)
            wanted: list[os.DirEntry[str]] = []
            for entry in entries:
                name = entry.name
                if name.isascii() and entry.is_file(follow_symlinks=False):  # most entries: no stat, no link
                    if wants(name):
                        wanted.append(entry)
                    continue
                self._visit(entry, prefix + name, rules, names, stack)
            if wanted:
                self._take([prefix + entry.name for entry in wanted], [entry.path for entry in wanted], rules)
            if self.found is not None and len(self.files) > before:
                self.found(self.files[before:])

    def _take(self, relpaths: list[str], paths: list[str], rules: tuple[IgnoreFile, ...]) -> None:
        """A folder's regular files that the options want, minus those the rules leave out: judged all at
        once when no rule can match any of them (most folders), else one by one."""
        if (self.exclude is None or self.exclude.silent_on(relpaths)) and all(
            ignore_file.silent_on(relpaths) for ignore_file in rules
        ):
            self.files += map(SourceFile, relpaths, paths)
            return
        self.files += (SourceFile(relpath, path) for relpath, path in zip(relpaths, paths, strict=True)
                       if not self._left_out(relpath, rules))

    def _visit(
        self,
        entry: os.DirEntry[str],
        relpath: str,
        rules: tuple[IgnoreFile, ...],
        siblings: set[str],
        stack: list[tuple[str, str, tuple[IgnoreFile, ...]]],
    ) -> None:
        name = entry.name
        if not name.isascii() and not _is_utf8(name):
            if entry.is_dir(follow_symlinks=False) or self.options.wants(name):
                self._skip(_printable(relpath), "name is not valid UTF-8; rename it so that it can be scanned")
            return
        if entry.is_symlink():
            if not self._left_out(relpath, rules):
                self._check_link(entry, relpath)
            return
        if entry.is_dir(follow_symlinks=False):
            reason = self._folder_reason(name, relpath, rules, siblings)
            if reason:
                self.skipped_folders[reason] += 1
            else:
                stack.append((entry.path, relpath, rules))
            return
        if not self.options.wants(name) or self._left_out(relpath, rules):
            return
        if entry.is_file(follow_symlinks=False):  # from the listing itself: no stat
            self.files.append(SourceFile(relpath, entry.path))
            return
        try:
            kind = _file_type(entry.stat(follow_symlinks=False).st_mode)
        except OSError as exc:
            kind = exc.strerror or str(exc)
        self._skip(relpath, f"not a regular file ({kind})")

    def _folder_reason(
        self, name: str, relpath: str, rules: tuple[IgnoreFile, ...], siblings: set[str]
    ) -> str | None:
        if name in VCS_DIRS:
            return "version control"
        if self.exclude is not None and self.exclude.verdict(relpath + "/"):
            return "excluded by policy"
        if rules and ignored(rules, relpath + "/"):
            return "ignored by .gitignore"
        if self.options.include_vendored:
            return None
        if name in VENDORED_DIRS:
            return "vendored or tool folder"
        manifests = OUTPUT_BESIDE_MANIFEST.get(name)
        if manifests is not None and not manifests.isdisjoint(siblings):
            return "build output or vendored code"
        return None

    def _left_out(self, relpath: str, rules: tuple[IgnoreFile, ...]) -> bool:
        if self.exclude is not None and self.exclude.verdict(relpath):
            return True
        return bool(rules) and ignored(rules, relpath)

    def _check_link(self, entry: os.DirEntry[str], relpath: str) -> None:
        try:
            target = os.path.realpath(entry.path, strict=True)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._skip(relpath, "symbolic link loop")
            elif self.options.wants(entry.name):
                self._skip(relpath, "broken link: its target does not exist")
            return
        inside = target == self.top_str or target.startswith(self.top_str.rstrip(os.sep) + os.sep)
        if not inside and (os.path.isdir(target) or self.options.wants(entry.name)):
            self._skip(relpath, "link points outside the scanned tree; not followed")

    def _rules_above_root(self) -> tuple[IgnoreFile, ...]:
        """``.git/info/exclude`` and the ``.gitignore`` files between the repository top and the root."""
        repo = next((d for d in (self.top, *self.top.parents) if (d / ".git").exists()), None)
        if repo is None:
            return ()
        rules: list[tuple[Path, IgnoreFile]] = []
        ignore_files = [(repo / ".git" / "info" / "exclude", repo)]
        ignore_files += [(folder / ".gitignore", folder) for folder in _between(repo, self.top)]
        for ignore_file, folder in ignore_files:
            if not os.path.lexists(ignore_file):
                continue
            under = self.top.relative_to(folder).as_posix()
            loaded = self._load_ignore_file(str(ignore_file), "", prefix="" if under == "." else under + "/")
            if loaded is not None:
                rules.append((folder, loaded))
        if any(folder_ignored(rules, folder) for folder in [*_between(repo, self.top)[1:], self.top]):
            # The user pointed at a folder the repository ignores (generated code, a scratch checkout):
            # scan it as asked, with its own ignore files only.
            return ()
        return tuple(loaded for _, loaded in rules)

    def _load_ignore_file(self, path: str, rel: str, prefix: str = "") -> IgnoreFile | None:
        try:
            data = read_regular_file(path, IGNORE_FILE_MAX_BYTES, "split it into the folders its rules are about")
        except SkipFile as skip:
            self._skip(_display(path, self.top_str), f"ignore file not applied: {skip.reason}")
            return None
        lines = data.decode("utf-8-sig", errors="replace").splitlines()  # a byte-order mark is no rule
        ignore_file, invalid = IgnoreFile.parse(lines, len(rel) + 1 if rel else 0, prefix)
        for number, line in invalid:
            self._skip(_display(path, self.top_str), f"line {number} is not a valid gitignore rule: {line!r}")
        return ignore_file

    def _skip(self, relpath: str, reason: str) -> None:
        self.skipped.append(SkippedFile(relpath, reason))


def _exclude_rules(patterns: tuple[str, ...]) -> IgnoreFile:
    rules, invalid = IgnoreFile.parse(patterns)
    if invalid:
        raise WalkError(
            f"exclude pattern {invalid[0][1]!r} in the policy is not a valid gitignore pattern; fix it in "
            "[scan].exclude"
        )
    return rules


def _between(repo: Path, top: Path) -> list[Path]:
    """Folders from ``repo`` down to the parent of ``top`` (``top``'s own ignore file is read by the walk)."""
    chain = []
    folder = top.parent if top != repo else None
    while folder is not None:
        chain.append(folder)
        folder = folder.parent if folder != repo else None
    return chain[::-1]


def _resolve_root(root: Path) -> Path:
    try:
        top = Path(root).resolve(strict=True)
    except FileNotFoundError:
        raise WalkError(f"{root} does not exist; pass the folder of the project to scan") from None
    except OSError as exc:
        raise WalkError(f"{root} cannot be opened: {exc.strerror or exc}") from None
    if not top.is_dir():
        raise WalkError(f"{root} is not a folder; pass the folder of the project that holds it")
    return top


def _is_utf8(name: str) -> bool:
    """False for a name whose bytes are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(relpath: str) -> str:
    return relpath.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _display(path: str, top: str) -> str:
    return Path(os.path.relpath(path, top)).as_posix()


RAISE_THE_LIMIT = "raise [scan].max_file_bytes to include it"


def _too_large(size: int, limit: int, remedy: str) -> str:
    return f"{_megabytes(size)} is over the {_megabytes(limit)} limit; {remedy}"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size % 1_000_000 else f"{size // 1_000_000} MB"


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


# --- reading ----------------------------------------------------------------------------------------------


def read_regular_file(path: str, max_bytes: int, remedy: str = RAISE_THE_LIMIT) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a link, FIFO or device) of at most ``max_bytes``;
    raises :class:`SkipFile` saying why not. Every file a scan reads goes through here."""
    return _read_regular(path, max_bytes, remedy)[0]


def _read_regular(path: str, max_bytes: int, remedy: str, dir_fd: int | None = None,
                  stamped: bool = True) -> tuple[bytes, os.stat_result | None]:
    """The bytes, and what ``fstat`` says of the file. With ``stamped`` False, a file shorter than
    :data:`READ_AHEAD` is read without ``fstat`` (None for it): the walk listed it as a regular file, and a
    FIFO or device swapped in since then reads as nothing (the descriptor does not block) or fills the
    read-ahead, and is then asked what it is like any other file."""
    try:
        fd = os.open(path, _OPEN_FLAGS, dir_fd=dir_fd)
    except PermissionError:
        raise SkipFile("permission denied; make it readable by the user running offramp") from None
    except FileNotFoundError:
        raise SkipFile("file disappeared during the scan") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SkipFile("symbolic link; links are not followed") from None
        raise SkipFile(f"could not be read: {exc.strerror or exc}") from None
    try:
        data = b""
        if not stamped:
            data = os.read(fd, READ_AHEAD)
            if len(data) < READ_AHEAD and len(data) <= max_bytes:
                return data, None
        info = os.fstat(fd)
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):
            raise SkipFile(f"not a regular file ({_file_type(info.st_mode)})")
        if size > max_bytes:
            raise SkipFile(_too_large(size, max_bytes, remedy))
        data += os.read(fd, max(size + 1 - len(data), 1))
        if len(data) <= size:
            return data, info
        chunks, total = [data], len(data)  # it grew after the fstat: read on, within the limit
        while total <= max_bytes and (chunk := os.read(fd, 1 << 20)):
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise SkipFile(_too_large(total, max_bytes, remedy))
        return b"".join(chunks), info
    except OSError as exc:
        raise SkipFile(f"could not be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _utf8_bytes(data: bytes) -> bytes:
    """The content as UTF-8 without a byte-order mark; UTF-16 files (with a BOM) are converted."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise SkipFile(f"invalid UTF-16 at byte offset {exc.start}; save the file as UTF-8") from None
    return data


def _decode(data: bytes, relpath: str) -> str:
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        raise SkipFile("binary file (NUL bytes in the first 8 KB)")
    if len(data) >= MINIFIED_MIN_BYTES:
        mean_line = len(data) / (data.count(b"\n") + 1)
        if mean_line >= MINIFIED_MEAN_LINE_BYTES:
            raise SkipFile(f"generated or minified (lines average {mean_line:,.0f} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = _python_encoding(data) if relpath.endswith(_PYTHON_SUFFIXES) else None
        if declared:
            try:
                return data.decode(declared)
            except (UnicodeDecodeError, LookupError):
                pass
        line = data.count(b"\n", 0, exc.start) + 1
        raise SkipFile(
            f"invalid UTF-8 at byte offset {exc.start} (line {line}); save the file as UTF-8 or exclude it"
        ) from None


def _python_encoding(data: bytes) -> str | None:
    """The encoding a PEP 263 ``# -*- coding: ... -*-`` line declares, when it is not UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return None
    return None if encoding in ("utf-8", "utf-8-sig") else encoding

"""``offramp scan``: walk a tree, keep the files that mention a model API, analyse them, resolve the paths."""

from __future__ import annotations

import gc
import importlib
import os
import time
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

from offramp import collector
from offramp.catalog import Catalog
from offramp.scan.cache import FactsCache, FileStamp, Outcome, TreeCache, Unanalysed, file_key
from offramp.scan.config import ConfigError, config_family, config_name_prefixes, config_suffixes
from offramp.scan.coverage import uncovered_sdks
from offramp.scan.deepstack import with_deep_stack
from offramp.scan.detect import binding_match
from offramp.scan.envfiles import EnvValues
from offramp.scan.facts import PACKAGE_SUFFIX, ModuleFacts, module_name, module_tail
from offramp.scan.findings import (
    ConfigValue,
    Dependency,
    InferencePath,
    ScanResult,
    SecretFinding,
    SkippedFile,
    redact,
)
from offramp.scan.manifests import (
    MANIFEST_NAME_PREFIXES,
    MANIFEST_NAMES,
    MANIFEST_SUFFIXES,
    manifest_kind,
    parse_manifest,
)
from offramp.scan.notebook import notebook_code, place_in_notebook
from offramp.scan.prefilter import Prefilter
from offramp.scan.projects import PROJECT_MANIFESTS, Projects
from offramp.scan.resolve import CONSTRUCTORS, Resolver, is_production, parameters_in
from offramp.scan.rules import LanguageRules, language_rules, model_apis, secret_rules
from offramp.scan.walk import (
    SkipFile,
    SourceFile,
    WalkOptions,
    by_relpath,
    discover,
    filter_candidates,
    read_source,
)

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

LANGUAGES = {
    ".py": "python", ".pyi": "python", ".pyw": "python", ".ipynb": "python",
    **dict.fromkeys((".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"), "javascript"),
    ".go": "go", ".java": "java", ".kt": "kotlin", ".kts": "kotlin",
}
"""Source suffix -> language: its analyser is ``offramp.scan.<language>`` and its rules ``rules/<language>.toml``.
Analysers (and their tree-sitter grammars) are imported on first use: a Python-only tree never loads them."""
PACKAGED = frozenset({"go", "kotlin"})
"""Languages whose files share one namespace per directory; their module has package_module(relpath) (a file's
package) and merge_package(package, facts) (one package's facts from its files')."""
SKIPPED_SUFFIXES = (".d.ts", ".min.js", ".min.mjs", ".bundle.js")
"""Type declarations and bundles: no inference call of the product's own lives there."""
HELM_CHART = "Chart.yaml"
MARKER_NAMES = PROJECT_MANIFESTS | {HELM_CHART}
"""Files that say what their folder is: a project (by its manifest) or a Helm chart."""
PROBE_FILES = 200
"""Files analysed in this process before deciding on worker processes, to time the work per file..."""
PROBE_SECONDS = 0.1
"""... or fewer, when they take this much CPU time (a tree of long modules is worth the workers at once)."""
PROBE_STEP = 10
POOL_PAYS_OFF_SECONDS = 0.3
"""Work left (on one core) below which worker processes cost more than they save: forking them, sending
the batches and bringing the facts back costs about a tenth of a second on two cores."""
FILES_WORTH_THE_POOL = 2_000
"""Files to read (not known unchanged from the cache) that are worth the worker processes whatever they hold,
so that they start during the walk: reading and prefiltering cost 8 to 25 microseconds a file on one core,
and the 1 to 2% of files that mention a term take about 2 ms each to analyse, some 50 microseconds a file in
all, 0.1 s for 2,000 files. Until the workers start, the second core has nothing to do."""
BATCH_FILES = 400
BATCHES_PER_WORKER = 4
"""Fewer files per batch on smaller trees, so that each worker gets several batches and they end together
(300 long modules are 8 batches, not one)."""
NOTEBOOK_SUFFIX = ".ipynb"
MAX_IMPORTED_FILES = 3000
"""At most this many product modules are analysed because analysed files import them."""
LOCK_FILE_MAX_BYTES = 50_000_000
"""Lock files list every dependency and are often larger than any source file; they are still read."""

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) as the scan goes."""


@dataclass(frozen=True)
class ScanOptions:
    max_file_bytes: int = 2_000_000
    respect_gitignore: bool = True
    include_vendored: bool = False
    exclude: tuple[str, ...] = ()
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache: Path | None = None
    """Folder of the facts cache (:mod:`offramp.scan.cache`): files unchanged since the last scan of the tree
    are not analysed again. None: every file is analysed."""


def analyse_file(relpath: str, text: str, *, eager: bool = True) -> ModuleFacts:
    """Phase one for one file, by its language (a notebook's code cells are one Python module). Raises
    SyntaxError, ValueError or RecursionError."""
    suffix = _suffix(relpath)
    if suffix == NOTEBOOK_SUFFIX:
        text = notebook_code(text).source
    language = LANGUAGES[suffix]
    return with_deep_stack(_language(language).analyze_source, text, relpath, language_rules(language), eager=eager)


def _outcome(relpath: str, text: str, eager: bool) -> Outcome:
    try:
        with collector.paused():
            return analyse_file(relpath, text, eager=eager)
    except SkipFile as skip:
        return Unanalysed(skip.reason, parse_error=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return Unanalysed(_parse_failure(exc), parse_error=True)


def _analysed(relpath: str, text: str, eager: bool, cache: FactsCache) -> tuple[bytes, bytes | None]:
    """The cache key of the file's analysis, and the analysis pickled (None when the cache has it)."""
    key = file_key(relpath, text, eager)
    return key, None if cache.get(key) is not None else FactsCache.dump(_outcome(relpath, text, eager))


def _facts(relpath: str, key: bytes, blob: bytes | None, cache: FactsCache, skipped: list[SkippedFile],
           *, skip_unanalysable: bool = True) -> ModuleFacts | None:
    """The facts of an analysis from :func:`_analysed`, kept for the next scan; a file that could not be
    analysed is listed with the reason (unless ``skip_unanalysable`` is False and it parses), as is a
    file analysed only in part (its budget ran out, its paths are kept)."""
    blob = blob if blob is not None else cache.get(key)
    assert blob is not None
    cache.keep(key, blob)
    outcome = cache.load(blob)
    if isinstance(outcome, Unanalysed):
        if skip_unanalysable or outcome.parse_error:
            skipped.append(SkippedFile(relpath, outcome.reason))
        return None
    if outcome.analysis_limit:
        skipped.append(SkippedFile(outcome.relpath, outcome.analysis_limit))
    return outcome


@cache
def _language(language: str) -> ModuleType:
    return importlib.import_module(f"offramp.scan.{language}")


def prefilter_terms(catalog: Catalog,
                    languages: Iterable[str] = ("python", "javascript", "go", "java", "kotlin")) -> set[str]:
    """What a file must mention for an analyser to find anything in it.

    SDK import names; model hosts and API paths (raw HTTP); and the operation chains and router methods
    that a call on an imported client writes even when the file imports no SDK itself.
    """
    # A wildcard host matches only by its longest literal piece: "bedrock-runtime.*.amazonaws.com".
    terms = {max(host.split("*"), key=len).strip(".") for p in catalog.providers.values() for host in p.hosts}
    terms |= {p.path for p in model_apis().model_api_paths}
    for rules in map(language_rules, languages):
        terms |= rules.prefilter_terms()
        terms |= set(rules.http.prefilter)
        for sdk in rules.sdk:
            for op in sdk.operations:
                literal = op.chain.split("*")[0].rstrip(".")
                if len(literal) >= 8 and ("." in literal or "_" in literal or any(c.isupper() for c in literal)):
                    terms.add(literal)
        terms |= rules.fallback_methods
    terms |= {"completion(", "base_url", "baseURL"}
    return terms


def scan_tree(root: Path, catalog: Catalog, options: ScanOptions = ScanOptions(),
              progress: Progress | None = None) -> ScanResult:
    """Find every inference path under ``root``. Raises :class:`offramp.scan.walk.WalkError` if it can't."""
    with _startup_objects_frozen():
        return _scan(root, catalog, options, progress)


def _scan(root: Path, catalog: Catalog, options: ScanOptions, progress: Progress | None) -> ScanResult:
    started = time.perf_counter()
    root = root.resolve()
    prefilter = Prefilter.shared(prefilter_terms(catalog))
    cache = TreeCache(options.cache, str(root), prefilter.terms) if options.cache else FactsCache()
    sources = _SourceFeed(partial(analyse_batch, str(root), prefilter, options.max_file_bytes), options.workers,
                          cache)
    skipped: list[SkippedFile] = []
    env = EnvValues()
    config: list[ConfigValue] = []
    dependencies: list[Dependency] = []
    analysed: list[ModuleFacts] = []
    batches: Generator[_Batch, None, None] | None = None
    try:
        with collector.kept():  # a tuple per file of the tree
            discovery = discover(root, WalkOptions(
                suffixes=frozenset(LANGUAGES) | config_suffixes() | MANIFEST_SUFFIXES, names=MANIFEST_NAMES,
                name_prefixes=(*config_name_prefixes(), *MANIFEST_NAME_PREFIXES),
                respect_gitignore=options.respect_gitignore, include_vendored=options.include_vendored,
                exclude=options.exclude,
            ), found=sources.add)
            source_files = sources.sorted_files()
        skipped += discovery.skipped
        # Helm chart templates are Go templates that render YAML, not YAML: values.yaml holds what they use.
        charts = tuple(relpath.removesuffix(HELM_CHART) + "templates/" for relpath in sources.markers
                       if relpath.rpartition("/")[2] == HELM_CHART)
        configuration = [f for f in sources.sorted_others() if not f.relpath.startswith(charts)]
        batches = _reported(sources.rest(), len(source_files), progress)
        for file in configuration:  # while the workers, if any, read the source files
            _read_configuration(file, catalog, options.max_file_bytes, config, dependencies, skipped)
        with collector.kept():  # the index and the facts: a collection would only walk them
            index = _ModuleIndex(source_files, sources.packaged, options.max_file_bytes, cache)  # for resolution
            projects = Projects.of(sources.markers)
            for batch in batches:
                skipped.extend(batch.skipped)
                cache.fresh_stamps.update(batch.stamps)
                analysed.extend(facts for relpath, key, blob in batch.analyses
                                if (facts := _facts(relpath, key, blob, cache, skipped)) is not None)
    finally:
        if batches is not None:
            batches.close()
        sources.close()
    analysed.sort(key=lambda facts: facts.relpath)  # in file order, however the batches were cut
    for value in config:
        # Code reads env variables by name and Spring/properties settings by their dotted key.
        if value.kind in ("env", "model", "endpoint"):
            env.add(value.key, value.value, value.file, value.line)

    with collector.paused():  # what resolution keeps (the modules it loads) would be walked over and over
        analysed += _wrapper_callers(source_files, analysed, skipped, options.max_file_bytes, cache)
        modules = {facts.module: facts for facts in analysed if index.importable(facts.module) == facts.relpath}
        resolver = Resolver(modules, env, catalog, lambda name: index.load(name, skipped, modules),
                            projects=projects, dependencies=dependencies)
        _solve_imported(modules, resolver, index, str(root), options, cache)
        paths = _resolve_all(resolver, analysed, modules)
        # Functions whose parameters decide a path but that no analysed file calls: their callers, if any, name
        # no SDK or host (main.go wiring the product's types); found, they are analysed and the files whose paths
        # asked are resolved again.
        callers = _callers_of(resolver.uncalled, source_files, [*analysed, *modules.values()], skipped,
                              options.max_file_bytes, cache)
        if callers:
            again, sent = resolver.uncalled_from, resolver.sent_requests
            analysed += callers
            modules.update((f.module, f) for f in callers if index.importable(f.module) == f.relpath)
            resolver = Resolver(modules, env, catalog, lambda name: index.load(name, skipped, modules),
                                projects=projects, dependencies=dependencies)
            resolver.sent_requests |= sent
            _solve_imported(modules, resolver, index, str(root), options, cache)
            paths = [p for p in paths if p.file not in again] + _resolve_all(resolver, analysed, modules, again)
    secrets = _secrets(analysed, env)
    secrets = _place_in_notebooks(source_files, paths, secrets, options.max_file_bytes)
    paths.sort(key=lambda p: (p.file, p.line, p.column))
    unlinked = [v for v in config if (v.model or v.provider or v.kind == "resource") and v.key not in env.read]
    if isinstance(cache, TreeCache):
        cache.save()
    return ScanResult(
        root=str(root), paths=paths, skipped=sorted(set(skipped), key=lambda s: s.file), secrets=secrets,
        config=unlinked, dependencies=sorted(dependencies, key=lambda d: (d.file, d.line)),
        uncovered_sdks=uncovered_sdks(analysed, paths, dependencies),
        files_seen=len(discovery.files), files_parsed=len(analysed), seconds=time.perf_counter() - started,
    )


def _resolve_all(resolver: Resolver, analysed: list[ModuleFacts], modules: dict[str, ModuleFacts],
                 only: set[str] | None = None) -> list[InferencePath]:
    """The paths of the analysed files and of the modules resolution loaded (of the files ``only`` names)."""
    seen = {id(facts) for facts in analysed}
    solved = [*analysed, *(facts for facts in list(modules.values()) if id(facts) not in seen)]
    return resolver.placed([path for facts in solved if (only is None or facts.relpath in only)
                            and (facts.paths or resolver.builds_binding_subclass(facts))
                            for path in _resolve_as_itself(resolver, modules, facts)])


def _resolve_as_itself(resolver: Resolver, modules: dict[str, ModuleFacts],
                       facts: ModuleFacts) -> list[InferencePath]:
    """The paths of one file. Files that share an import name (``llm.py`` and ``llm.ts``, ``pkg.py`` and
    ``pkg/__init__.py``) each keep their paths; while a file is resolved, its own name means itself."""
    importable = modules.get(facts.module)
    modules[facts.module] = facts
    try:
        return resolver.resolve_module(facts)
    finally:
        if importable is not None:
            modules[facts.module] = importable


def _solve_imported(modules: dict[str, ModuleFacts], resolver: Resolver, index: _ModuleIndex, root: str,
                    options: ScanOptions, cache: FactsCache) -> None:
    """Product modules that the analysed files import are analysed too (one hop, within a bound): an in-repo
    helper that sends what its callers pass (``post_json(url, body)``) mentions no model API itself. Their
    files are analysed ahead, on all cores when that pays, into the cache where the resolver finds them; so are
    those of the modules the resolver will load to walk the product's class tree."""
    imported = sorted({name for facts in modules.values() for name in facts.imports} - modules.keys())
    imported = imported[: min(MAX_IMPORTED_FILES, 2 * len(modules) + 50)]
    # In an order unrelated to their folders: the first files, whose time decides on worker processes, are then a
    # sample of all (not 40 migrations of one folder, each a tenth of an average module's work).
    ahead = sorted({file.relpath for name in [*imported, *_class_tree_modules(modules)]
                    if (file := index.file_to_analyse(name, modules))}, key=lambda path: zlib.crc32(path.encode()))
    task = partial(analyse_imported, root, options.max_file_bytes)
    for _, analyses in _shared(task, ahead, options.workers, cache):
        for key, blob in analyses:
            if blob is not None:
                cache.known[key] = blob
    for name in imported:
        resolver.module(name)


def _class_tree_modules(modules: dict[str, ModuleFacts]) -> set[str]:
    """The modules whose full facts the resolver reads to find which classes extend a framework's model class
    (:meth:`Resolver.binding_subclasses`): each module with a class that names a base (only its outline is known
    of a file without inference calls), and the modules of those bases."""
    found = set()
    for facts in modules.values():
        for cls in facts.classes.values():
            if cls.bases:
                found.add(facts.module)
            found.update(facts.module if base.rsplit(".", 1)[-1] in facts.classes else base.rsplit(".", 1)[0]
                         for base in cls.bases)
    return found


def analyse_imported(root: str, max_file_bytes: int, relpaths: Sequence[str],
                     cache: FactsCache) -> list[tuple[bytes, bytes | None]]:
    """The analyses (cache key, pickle or None when the cache has it) of product modules that analysed files
    import; a file that cannot be read is left for the resolver to report."""
    analyses = []
    for relpath in relpaths:
        try:
            text = read_source(SourceFile(relpath, os.path.join(root, relpath)), max_file_bytes)
        except SkipFile:
            continue
        analyses.append(_analysed(relpath, text, True, cache))
    return analyses


@dataclass
class _Batch:
    analyses: list[tuple[str, bytes, bytes | None]]
    """(relpath, cache key, pickled outcome or None when the cache has it) of each candidate: pickles cross
    from a worker process once, and are what the cache keeps."""
    skipped: list[SkippedFile]
    stamps: list[tuple[str, FileStamp]]
    """The files' stamps, with the key of each one's analysis (None: it mentions no term), for the cache."""


def analyse_batch(root: str, prefilter: Prefilter, max_file_bytes: int, relpaths: Sequence[str],
                  cache: FactsCache) -> _Batch:
    """Read, prefilter and analyse a batch of files (those unchanged since the last scan are neither read
    nor analysed); runs in a worker process on large trees."""
    candidates = filter_candidates(root, relpaths, prefilter, max_file_bytes, cache.stamps, cache.keeps_stamps)
    analyses = [(relpath, *_analysed(relpath, text, False, cache)) for relpath, text in candidates.texts]
    keys = {relpath: key for relpath, key, _ in analyses}
    stamps = [(relpath, (stamp, keys.get(relpath))) for relpath, stamp in candidates.stamps.items()
              ] if cache.keeps_stamps else []
    for relpath, stamp, key in candidates.unchanged:
        stamps.append((relpath, (stamp, key)))
        if key is not None:
            analyses.append((relpath, key, None))
    analyses.sort(key=lambda analysis: analysis[0])
    return _Batch(analyses, candidates.skipped, stamps)


class _SourceFeed:
    """The source files, as the walk finds them. Once it has found more files to read than one process reads
    in :data:`POOL_PAYS_OFF_SECONDS`, worker processes start on them while the walk goes on (the walk of a
    large tree is a tenth of its scan); a smaller tree is shared out after the walk, by the time its first
    files take (see :func:`_shared`)."""

    def __init__(self, task: Callable[[Sequence[str], FactsCache], _Batch], workers: int,
                 cache: FactsCache) -> None:
        self._task, self._workers, self._cache = task, workers, cache
        self._files: list[SourceFile] = []
        self._sorted: list[SourceFile] | None = None
        self._others: list[SourceFile] = []
        self._languages: set[str] = set()
        self._to_read = 0
        self._unsent: list[str] = []
        self._pool: ProcessPoolExecutor | None = None
        self._sent: list[tuple[int, Future[_Batch]]] = []
        self._packaged: list[SourceFile] = []
        self.markers: list[str] = []
        """The files named in :data:`MARKER_NAMES`, as the walk found them."""

    def add(self, found: list[SourceFile]) -> None:
        """Take one folder's files from the walk: source files to analyse, the others for configuration."""
        stamps = self._cache.stamps
        sources: list[SourceFile] = []
        for file in found:  # once per file of the tree, in the process that walks it: kept lean
            relpath = file.relpath
            name = relpath[relpath.rfind("/") + 1 :]
            if name in MARKER_NAMES:
                self.markers.append(relpath)
            language = LANGUAGES.get(_suffix(name))
            if language is None or name in MANIFEST_NAMES:  # build.gradle.kts is a manifest
                if manifest_kind(relpath) or config_family(relpath):
                    self._others.append(file)
            elif not name.endswith(SKIPPED_SUFFIXES):
                sources.append(file)
                self._languages.add(language)
                if language in PACKAGED:
                    self._packaged.append(file)
        self._files += sources
        self._unsent += [file.relpath for file in sources]
        self._to_read += sum(file.relpath not in stamps for file in sources)
        if self._pool is None and self._workers > 1 and self._to_read >= FILES_WORTH_THE_POOL:
            for language in self._languages:  # imported once here, not in every worker
                _language(language)
            self._pool = _pool(self._workers, self._cache)
        if self._pool is not None:
            while len(self._unsent) >= BATCH_FILES:
                self._send(BATCH_FILES)

    def sorted_files(self) -> list[SourceFile]:
        """The source files in path order, once the walk is done (sorted once: :meth:`rest` reads them too)."""
        if self._sorted is None:
            self._sorted = sorted(self._files, key=by_relpath)
        return self._sorted

    @property
    def packaged(self) -> list[SourceFile]:
        """The source files of :data:`PACKAGED` languages, in path order once the walk is done."""
        return sorted(self._packaged, key=by_relpath)

    def sorted_others(self) -> list[SourceFile]:
        return sorted(self._others, key=by_relpath)

    def rest(self) -> Generator[tuple[int, _Batch], None, None]:
        """Once the walk is done: (number of files, batch) for every source file, the first batches done
        or under way before it returns."""
        if self._pool is None:
            return _shared(self._task, [file.relpath for file in self.sorted_files()], self._workers, self._cache)
        # the last files in small batches, so that the workers end together
        size = max(1, -(-len(self._unsent) // self._workers))
        while self._unsent:
            self._send(size)
        return self._results()

    def _send(self, size: int) -> None:
        assert self._pool is not None
        batch, self._unsent = self._unsent[:size], self._unsent[size:]
        self._sent.append((len(batch), self._pool.submit(_in_worker, self._task, batch)))

    def _results(self) -> Generator[tuple[int, _Batch], None, None]:
        for count, future in self._sent:
            yield count, future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def _reported(work: Generator[tuple[int, _Batch], None, None], total: int,
              progress: Progress | None) -> Generator[_Batch, None, None]:
    done = 0
    try:
        for count, batch in work:
            done += count
            if progress:
                progress(done, total)
            yield batch
    finally:
        work.close()


R = TypeVar("R")
_worker_cache = FactsCache()
"""A worker process's copy of the cache (inherited when it forks, not sent with every batch)."""


def _worker_started(cache: FactsCache) -> None:
    """A worker keeps its copy of the cache, and collects cycles: it may have been forked from a walk that had
    paused the collector."""
    global _worker_cache
    _worker_cache = cache
    gc.enable()


def _in_worker(task: Callable[[Sequence[str], FactsCache], R], items: Sequence[str]) -> R:
    return task(items, _worker_cache)


def _shared(task: Callable[[Sequence[str], FactsCache], R], items: list[str], workers: int,
            cache: FactsCache) -> Generator[tuple[int, R], None, None]:
    """(number of items, ``task(batch, cache)``) for batches of ``items``, in order. The first items are
    done before it returns, timed: what they cost decides whether worker processes pay for their start on
    the rest (a 1,300-file repository of long modules needs them, 20,000 files that name no SDK may not).
    Workers are busy with the rest from then on, while the caller does other work until it asks for the
    results; closing the generator stops them."""
    work = _started(task, items, workers, cache)
    next(work)
    return work  # type: ignore[return-value]  # what follows the first (None) is results


def _started(task: Callable[[Sequence[str], FactsCache], R], items: list[str], workers: int,
             cache: FactsCache) -> Generator[tuple[int, R] | None, None, None]:
    """:func:`_shared`'s work: yields None once the probe is done and the workers have the rest."""
    # The first step is not timed: it pays once for what later items reuse (the prefilter's automaton, an
    # analyser's first import). The others are timed in CPU seconds of this process: on a machine that
    # other jobs share, wall time would count their work too and start workers for a small tree.
    probed = min(PROBE_STEP, len(items))
    done = [(probed, task(items[:probed], cache))] if items else []
    started, timed_from = time.process_time(), probed
    while probed < min(PROBE_FILES, len(items)) and time.process_time() - started < PROBE_SECONDS:
        step = items[probed : probed + PROBE_STEP]
        probed += len(step)
        done.append((len(step), task(step, cache)))
    seconds_per_item = (time.process_time() - started) / max(probed - timed_from, 1)
    rest = items[probed:]
    size = max(1, min(BATCH_FILES, -(-len(rest) // (BATCHES_PER_WORKER * workers))))
    batches = [rest[i : i + size] for i in range(0, len(rest), size)]
    processes = pool_size(seconds_per_item * len(rest), len(batches), workers) if batches else 1
    if processes <= 1:
        yield None
        yield from done
        for batch in batches:
            yield len(batch), task(batch, cache)
        return
    pool = _pool(processes, cache)
    try:
        results = pool.map(_in_worker, [task] * len(batches), batches)
        yield None
        yield from done
        yield from zip(map(len, batches), results, strict=True)
    finally:
        pool.shutdown(cancel_futures=True)


def _pool(processes: int, cache: FactsCache) -> ProcessPoolExecutor:
    """Worker processes forked from this one: they share what it has loaded and its copy of the cache."""
    from concurrent.futures import ProcessPoolExecutor  # and multiprocessing: only a scan that pays for workers
    from multiprocessing import get_context

    return ProcessPoolExecutor(max_workers=processes, mp_context=get_context("fork"), initializer=_worker_started,
                               initargs=(cache,))


@contextmanager
def _startup_objects_frozen() -> Iterator[None]:
    """Tell the cycle collector that what exists before the scan (modules, catalog, rules) stays: it skips
    them in every collection of the scan (a full collection used to walk them all, a tenth of its time), and
    worker processes do not copy the pages it would touch."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def pool_size(seconds_left: float, batches: int, workers: int) -> int:
    """Worker processes for work estimated at ``seconds_left`` on one core, in ``batches``: 1 (this
    process) unless the work is several times what starting the workers costs."""
    if workers <= 1 or batches <= 1 or seconds_left < POOL_PAYS_OFF_SECONDS:
        return 1
    return min(workers, batches)


def _parse_failure(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"Python syntax error at line {exc.lineno}: {exc.msg}"
    if isinstance(exc, SyntaxError):
        return f"syntax error: {exc.msg}"
    if isinstance(exc, RecursionError | MemoryError):
        return "nested too deeply for the parser"
    return f"cannot be parsed: {exc}"


def _read_configuration(file: SourceFile, catalog: Catalog, max_file_bytes: int, config: list[ConfigValue],
                        dependencies: list[Dependency], skipped: list[SkippedFile]) -> None:
    """Env values, model ids and endpoints from a configuration file; AI SDKs from a manifest."""
    from offramp.scan.config.extract import extract_config  # with the format parsers: trees with configuration

    kind = manifest_kind(file.relpath)
    try:
        limit = max(max_file_bytes, LOCK_FILE_MAX_BYTES) if kind and "lock" in kind else max_file_bytes
        text = read_source(file, limit)
        if kind:
            dependencies.extend(parse_manifest(file.relpath, text, catalog))
        if config_family(file.relpath):
            config.extend(extract_config(file.relpath, text, catalog))
    except SkipFile as skip:
        skipped.append(SkippedFile(file.relpath, skip.reason))
    except ConfigError as error:
        skipped.append(SkippedFile(file.relpath, str(error)))


class _ModuleIndex:
    """Finds a product module by import name among the files discovered, for modules the prefilter skipped
    (a settings module that names no SDK still holds the model ids); and a Go package, as all its files."""

    def __init__(self, files: list[SourceFile], packaged: list[SourceFile], max_file_bytes: int,
                 cache: FactsCache) -> None:
        """``packaged``: the files of :data:`PACKAGED` languages among ``files``."""
        self._max_file_bytes = max_file_bytes
        self._cache = cache
        self._packaged = packaged
        self._files = files
        # The files by the last part of their module name, the part that both an import's full name and its
        # tail (an import written from a folder above the root) name: the position of the first file with each
        # last part, and the others' positions where several share it (a list for each of 100,000 files would
        # cost more than the rest of the index). Their whole names are made when an import asks for them.
        tails = [module_tail(file.relpath) for file in files]
        self._first = dict(zip(reversed(tails), range(len(tails) - 1, -1, -1), strict=True))
        self._others: dict[str, list[int]] = {}
        if len(self._first) < len(tails):
            for position, tail in enumerate(tails):
                if self._first[tail] != position:
                    self._others.setdefault(tail, []).append(position)
        self._groups: dict[str, tuple[list[str], dict[str, SourceFile]]] = {}

    def _group(self, tail: str) -> tuple[list[str], dict[str, SourceFile]]:
        """The module names of the files whose last part is ``tail`` (in path order, a name once per file), and
        the file each name imports: the last in path order, so that a package (pkg/__init__.py) wins over a
        module (pkg.py), as in Python."""
        group = self._groups.get(tail)
        if group is None:
            files = [self._files[p] for p in (self._first[tail], *self._others.get(tail, ()))] \
                if tail in self._first else []
            names = [module_name(file.relpath) for file in files]
            group = self._groups[tail] = (names, dict(zip(names, files, strict=True)))
        return group

    @cached_property
    def _packages(self) -> dict[str, list[SourceFile]]:
        packages: dict[str, list[SourceFile]] = {}
        for file in self._packaged:
            module = _language(LANGUAGES[_suffix(file.relpath)]).package_module(file.relpath)
            packages.setdefault(module, []).append(file)
        return packages

    def importable(self, name: str) -> str | None:
        """The relpath of the file that ``import name`` reaches among files sharing that name."""
        file = self._group(name.rpartition(".")[2])[1].get(name)
        return file.relpath if file is not None else None

    def find(self, name: str) -> SourceFile | None:
        names, by_name = self._group(name.rpartition(".")[2])
        if name in by_name:
            return by_name[name]
        suffix = "." + name
        matches = [m for m in names if m.endswith(suffix)]
        return by_name[matches[0]] if len(matches) == 1 else None

    def find_package(self, name: str) -> str | None:
        """A package by its import path: the longest package folder the path ends with (Go's import paths name
        the module's folders too), else the one folder that ends with it (Kotlin's packages sit below src/main)."""
        if name in self._packages:
            return name
        matches = [p for p in self._packages if name.endswith("." + p)]
        if matches:
            return max(matches, key=len)
        below = [p for p in self._packages if p.endswith("." + name)]
        return below[0] if len(below) == 1 else None

    def file_to_analyse(self, name: str, analysed: dict[str, ModuleFacts]) -> SourceFile | None:
        """The one file that :meth:`load` would analyse for ``name`` (None for a package or a known module)."""
        if self.find_package(name) is not None or (file := self.find(name)) is None:
            return None
        known = analysed.get(module_name(file.relpath))
        return None if known is not None and known.complete and known.relpath == file.relpath else file

    def load(self, name: str, skipped: list[SkippedFile], analysed: dict[str, ModuleFacts]) -> ModuleFacts | None:
        if (package := self.find_package(name)) is not None:
            files = self._packages[package]
            facts = [f for f in (self._analyse(file, skipped, analysed) for file in files) if f is not None]
            for file_facts in facts:  # each file is solved too: a helper there may send what its callers pass
                analysed.setdefault(file_facts.module, file_facts)
            # Production code is built without the package's test files: what they declare and pass it never sees
            production = [f for f in facts if is_production(f.relpath)]
            return _language(LANGUAGES[_suffix(files[0].relpath)]).merge_package(package, production or facts)
        file = self.find(name)
        return self._analyse(file, skipped, analysed) if file is not None else None

    def _analyse(self, file: SourceFile, skipped: list[SkippedFile],
                 analysed: dict[str, ModuleFacts]) -> ModuleFacts | None:
        known = analysed.get(module_name(file.relpath))
        if known is not None and known.complete and known.relpath == file.relpath:
            return known
        try:
            text = read_source(file, self._max_file_bytes)
        except SkipFile as skip:
            skipped.append(SkippedFile(file.relpath, skip.reason))
            return None
        return _facts(file.relpath, *_analysed(file.relpath, text, True, self._cache), self._cache, skipped)


def _wrapper_callers(files: list[SourceFile], analysed: list[ModuleFacts], skipped: list[SkippedFile],
                     max_file_bytes: int, cache: FactsCache) -> list[ModuleFacts]:
    """The files that import a module whose function sends its URL parameter (the repository's own fetch
    wrapper), or whose class extends a framework's model class (``class ChatRouter extends ChatOpenAI``): their
    calls of it are paths too, though they name no host or SDK for the prefilter to see.
    One hop, at most twice as many files as were analysed (and at most 3,000)."""
    # stream.chatApi sends: stream(url) is called from outside, chatApi(url) inside it.
    wrappers = {(facts.module, name) for facts in analysed for p in facts.paths if p.kind == "http"
                for param in parameters_in(p.url) if param.module == facts.module
                for name in param.function.split(".")}
    wrappers |= {(facts.module, name) for facts in analysed for name, cls in facts.classes.items()
                 if _extends_model_class(cls.bases, language_rules(facts.language))}
    if not wrappers and not any(facts.url_methods for facts in analysed):
        return []
    # An importer names the module ('utils/chat' as a path, 'utils.chat' dotted) and calls the function: the calls
    # of each module's functions, looked for only in a file that names that module.
    wanted: dict[tuple[str, str], set[str]] = {}
    for module, function in wrappers:
        tail = module.split(".")[-2:]
        wanted.setdefault(("/".join(tail), ".".join(tail)), set()).add(f"{function}(")
    # a.GetRequestURL() on an interface names no implementation's package: the call alone is enough
    wanted.setdefault(("", ""), set()).update(f".{method}(" for facts in analysed for method in facts.url_methods)
    return _importers(files, wanted, analysed, skipped, max_file_bytes, cache)


def _callers_of(functions: set[tuple[str, str]], files: list[SourceFile], known: list[ModuleFacts],
                skipped: list[SkippedFile], max_file_bytes: int, cache: FactsCache) -> list[ModuleFacts]:
    """The files, not analysed yet, that name the module of one of ``functions`` and call it (a constructor by
    its class's name)."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for module, function in functions:
        tail = module.removesuffix(PACKAGE_SUFFIX).split(".")[-2:]
        names = [n for n in function.split(".") if n not in CONSTRUCTORS and not n.startswith("<")]
        wanted.setdefault(("/".join(tail), ".".join(tail)), set()).update(f"{name}(" for name in names[-2:])
    return _importers(files, wanted, known, skipped, max_file_bytes, cache) if wanted else []


def _importers(files: list[SourceFile], wanted: dict[tuple[str, str], set[str]], analysed: list[ModuleFacts],
               skipped: list[SkippedFile], max_file_bytes: int, cache: FactsCache) -> list[ModuleFacts]:
    """The files not analysed yet that name one of the modules (as a path, or dotted) and write one of its calls;
    at most twice as many as were analysed (and at most 3,000)."""
    found: list[ModuleFacts] = []
    budget = min(MAX_IMPORTED_FILES, 2 * len(analysed))
    done = {facts.relpath for facts in analysed}
    for file in files:
        if len(found) >= budget:
            break
        if file.relpath in done:
            continue
        try:
            text = read_source(file, max_file_bytes)
        except SkipFile:
            continue  # not needed for this: the prefilter pass already listed what it could not read
        if any((path in text or dotted in text) and any(call in text for call in calls)
               for (path, dotted), calls in wanted.items()):
            facts = _facts(file.relpath, *_analysed(file.relpath, text, False, cache), cache, skipped,
                           skip_unanalysable=False)
            if facts is not None:
                found.append(facts)
    return found


def _extends_model_class(bases: tuple[str, ...], rules: LanguageRules) -> bool:
    """Whether a class directly extends a framework class whose construction is a path (ChatOpenAI, not
    GenerativeModel, which is asked through its methods)."""
    return any(not rule.sink_methods and binding_match(rule, base) for rule in rules.binding for base in bases)


def _suffix(name: str) -> str:
    return name[name.rfind(".") :].lower() if "." in name else ""


def _place_in_notebooks(files: list[SourceFile], paths: list[InferencePath], secrets: list[SecretFinding],
                        max_file_bytes: int) -> list[SecretFinding]:
    """Notebook findings at their line in the .ipynb file, with their cell; returns the secrets so placed."""
    notebooks = {relpath for relpath in {p.file for p in paths} | {s.file for s in secrets}
                 if relpath.endswith(NOTEBOOK_SUFFIX)}
    if not notebooks:  # most trees: not one of their files is looked at
        return secrets
    for file in files:
        if file.relpath not in notebooks:
            continue
        relpath = file.relpath
        try:
            notebook = notebook_code(read_source(file, max_file_bytes))
        except (SkipFile, ValueError):  # changed since it was analysed: its findings keep the module's lines
            continue
        place_in_notebook([p for p in paths if p.file == relpath], notebook)
        secrets = [replace(s, line=notebook.place(s.line)[1]) if s.file == relpath else s for s in secrets]
    return secrets


def _secrets(modules: Iterable[ModuleFacts], env: EnvValues) -> list[SecretFinding]:
    rules = secret_rules()
    found = []
    for facts in modules:
        for line, literal in facts.literal_secrets:
            found.append(SecretFinding(facts.relpath, line, rules.provider_of(literal), redact(literal)))
    for _, values in env.items():
        for value in values:
            if match := rules.regex.search(value.value):
                found.append(SecretFinding(value.file, value.line, rules.provider_of(match.group()),
                                           redact(match.group())))
    return sorted(set(found), key=lambda s: (s.file, s.line))

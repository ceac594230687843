"""Write a deterministic synthetic repository for the scan benchmark, and a manifest of what it plants.

    python benchmarks/make_synthetic_repo.py benchmarks/out/synthetic            # 20,000 files, Python
    python benchmarks/make_synthetic_repo.py OUT --files 2000 --seed 7 --languages python

The tree looks like a product monorepo: packages nested a few levels deep, tests/, scripts/ and
examples/ folders, docs and config files, a .gitignore (with a virtual environment and build output
behind it, and a nested .gitignore with a negation). About 1% of the code files hold a real inference
call, in one of many SDK styles; about 0.5% hold a look-alike (a Slack ``chat_postMessage``, a comment
that names an SDK, a local variable called ``openai``) that a scanner must not report.

``manifest.json`` lists every planted call (file, line of the call, sdk, style, provider, model) and
every look-alike file, so that the benchmark can report recall and false alarms. The same seed always
gives the same tree, byte for byte.

Languages are pluggable (``--languages python,typescript,go,java``; python alone by default): each is a
``synthetic.base.Language`` (one module per language under ``benchmarks/synthetic/``) that writes ordinary
modules in its own layout and knows its inference-call templates and look-alikes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from synthetic import LANGUAGES
from synthetic.base import PLANT_MARK, WORDS, Language, name

OTHER_FILES = ["README.md", "CHANGELOG.md", "config.yaml", "fixtures.json", "setup.cfg", "notes.txt"]
OTHER_SHARE = 0.05
"""Share of files that are docs and data, not code."""


@dataclass(frozen=True)
class Plant:
    file: str
    line: int
    """Line where the call (or the binding's constructor) starts."""
    function: tuple[int, int]
    """First and last line of the function that holds it, for scanners that report another line of it."""
    language: str
    sdk: str
    style: str
    provider: str
    model: str


def _module_lines(rng: random.Random) -> int:
    if rng.random() < 0.02:
        return rng.randint(800, 3000)  # the long modules every codebase has
    return max(12, int(rng.lognormvariate(3.85, 0.6)))


def _package_folders(rng: random.Random) -> list[str]:
    """A package's subpackages, three levels deep: about 80 folders, so about 8 files in each."""
    folders = [""]
    for top in rng.sample(WORDS, 6):
        folders.append(top)
        for middle in rng.sample(WORDS, 4):
            folders.append(f"{top}/{middle}")
            folders += [f"{top}/{middle}/{leaf}" for leaf in rng.sample(WORDS, 2)]
    return folders


def _area(rng: random.Random) -> str:
    """Production code mostly, then tests, scripts and examples."""
    roll = rng.random()
    return "src" if roll < 0.72 else "tests" if roll < 0.94 else "scripts" if roll < 0.98 else "examples"


def generate(out: Path, files: int, seed: int, languages: list[str], plant_rate: float, decoy_rate: float) -> dict:
    rng = random.Random(seed)
    langs: list[Language] = [LANGUAGES[language]() for language in languages]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    names = sorted({name(rng, 1) + "_" + rng.choice(("core", "api", "svc", "lib")) for _ in range(14)})
    packages = {package: _package_folders(rng) for package in names}
    plants: list[Plant] = []
    decoy_files: list[str] = []
    lines_total = 0
    for index in range(files):
        package = rng.choice(names)
        sub, area = rng.choice(packages[package]), _area(rng)
        if rng.random() < OTHER_SHARE:
            path = f"docs/{package}/{sub}/{index}-{rng.choice(OTHER_FILES)}".replace("//", "/")
            text = "\n".join(f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(30))
            _write(out, path, text + "\n")
            lines_total += 30
            continue
        lang = rng.choice(langs)
        path = lang.path(area, package, sub, f"{name(rng)}_{index}")
        module = lang.module(rng, path, package, _module_lines(rng), area == "tests")
        roll = rng.random()
        if roll < plant_rate:
            template = rng.choice(lang.templates)
            block = template.body(lang.function_name(f"ask_{name(rng)}"))
            module = lang.with_block(module, block, template.imports)
            start = module.index(block[0]) + 1
            call = next(i for i, line in enumerate(module, 1) if line.endswith(PLANT_MARK))
            module[call - 1] = module[call - 1].removesuffix(PLANT_MARK)
            plants.append(
                Plant(
                    path,
                    call,
                    (start, start + len(block) - 1),
                    lang.name,
                    template.sdk,
                    template.style,
                    template.provider,
                    template.model,
                )
            )
        elif roll < plant_rate + decoy_rate:
            module = lang.with_block(module, rng.choice(lang.decoys)(lang.function_name(f"notify_{name(rng)}")), ())
            decoy_files.append(path)
        _write(out, path, "\n".join(module) + "\n")
        lines_total += len(module)
    ignored = 0
    for lang in langs:
        for relpath, text in lang.ignored_content(rng).items():
            _write(out, relpath, text)
            ignored += 1
    (out / ".gitignore").write_text("/manifest.json\n" + "".join(lang.gitignore for lang in langs))
    manifest = {
        "seed": seed,
        "files": files,
        "lines": lines_total,
        "languages": languages,
        "plants": [asdict(plant) for plant in plants],
        "decoy_files": decoy_files,
        "ignored_files": ignored,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def _write(out: Path, relpath: str, text: str) -> None:
    path = out / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--languages", default="python", help=f"comma-separated, from: {', '.join(LANGUAGES)}")
    parser.add_argument("--plant-rate", type=float, default=0.01, help="share of code files with an inference call")
    parser.add_argument("--decoy-rate", type=float, default=0.005, help="share of code files with a look-alike")
    args = parser.parse_args(argv)
    languages = [name.strip() for name in args.languages.split(",") if name.strip()]
    unknown = [name for name in languages if name not in LANGUAGES]
    if unknown:
        parser.error(f"unknown language(s) {', '.join(unknown)}; choose from {', '.join(LANGUAGES)}")
    manifest = generate(args.out, args.files, args.seed, languages, args.plant_rate, args.decoy_rate)
    print(
        f"wrote {manifest['files']:,} files ({manifest['lines']:,} lines) to {args.out}: "
        f"{len(manifest['plants'])} inference calls, {len(manifest['decoy_files'])} look-alikes, "
        f"{manifest['ignored_files']} files behind .gitignore",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

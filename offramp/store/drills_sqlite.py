"""Drill runs and results in SQLite: by default the scan history's file, so one file holds what was measured."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offramp.store.base import StoreError
from offramp.store.drills import DrillRun, PromptResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drill_runs (
    id INTEGER PRIMARY KEY,
    set_name TEXT NOT NULL,
    set_hash TEXT NOT NULL,
    route TEXT NOT NULL,
    paths TEXT NOT NULL,
    cut_off TEXT NOT NULL,
    fallbacks TEXT NOT NULL,
    catalog_version TEXT NOT NULL,
    threshold REAL NOT NULL,
    prompts INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    status TEXT NOT NULL,
    finished_at TEXT,
    passed INTEGER NOT NULL DEFAULT 0,
    pass_rate REAL,
    latency_ms TEXT NOT NULL DEFAULT '{}',
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS drill_runs_by_set ON drill_runs (set_name, started_at);
CREATE TABLE IF NOT EXISTS drill_results (
    run_id INTEGER NOT NULL REFERENCES drill_runs (id) ON DELETE CASCADE,
    prompt_id TEXT NOT NULL,
    state TEXT NOT NULL,
    served_by TEXT,
    failovers INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0,
    latency_ms REAL NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',
    scores TEXT NOT NULL DEFAULT '[]',
    passed INTEGER NOT NULL DEFAULT 0,
    scoring_ms REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, prompt_id)
);
"""
_RUN_COLUMNS = ("id", "set_name", "set_hash", "route", "paths", "cut_off", "fallbacks", "catalog_version",
                "threshold", "prompts", "started_at", "status", "finished_at", "passed", "pass_rate", "latency_ms",
                "input_tokens", "output_tokens")
_RESULT_COLUMNS = ("prompt_id", "state", "served_by", "failovers", "status", "latency_ms", "input_tokens",
                   "output_tokens", "answer", "scores", "passed", "scoring_ms")


class SQLiteDrillStore:
    """A :class:`~offramp.store.drills.DrillStore` in one SQLite file; every write is committed at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the drill store {str(path)!r}: {exc}; choose another file with "
                             "--store (or $OFFRAMP_HISTORY) and check that its folder is writable") from None

    def start(self, run: DrillRun) -> DrillRun:
        row = _run_row(run)
        del row["id"]
        cursor = self._db.execute(f"INSERT INTO drill_runs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                  tuple(row.values()))
        return replace(run, id=cursor.lastrowid)

    def unfinished(self, set_name: str, set_hash: str, route: str) -> DrillRun | None:
        row = self._db.execute(
            f"SELECT {', '.join(_RUN_COLUMNS)} FROM drill_runs WHERE set_name = ? AND set_hash = ? AND route = ? "
            "AND status = 'running' ORDER BY id DESC LIMIT 1", (set_name, set_hash, route)).fetchone()
        return _run(row) if row else None

    def results(self, run_id: int) -> dict[str, PromptResult]:
        rows = self._db.execute(f"SELECT {', '.join(_RESULT_COLUMNS)} FROM drill_results WHERE run_id = ?",
                                (run_id,))
        return {row[0]: _result(row) for row in rows}

    def mark_sent(self, run_id: int, prompt_id: str) -> None:
        self._db.execute("INSERT INTO drill_results (run_id, prompt_id, state) VALUES (?, ?, 'sent')",
                         (run_id, prompt_id))

    def save(self, run_id: int, result: PromptResult) -> None:
        values = [getattr(result, c) for c in _RESULT_COLUMNS]
        values[_RESULT_COLUMNS.index("scores")] = json.dumps(result.scores)
        self._db.execute(f"INSERT OR REPLACE INTO drill_results (run_id, {', '.join(_RESULT_COLUMNS)}) "
                         f"VALUES (?, {', '.join('?' * len(_RESULT_COLUMNS))})", (run_id, *values))

    def finish(self, run: DrillRun) -> None:
        row = _run_row(run)
        run_id = row.pop("id")
        self._db.execute(f"UPDATE drill_runs SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                         (*row.values(), run_id))

    def runs(self, set_name: str | None = None, finished_only: bool = True) -> list[DrillRun]:
        where = [clause for clause, wanted in (("set_name = ?", set_name is not None),
                                               ("status != 'running'", finished_only)) if wanted]
        query = (f"SELECT {', '.join(_RUN_COLUMNS)} FROM drill_runs"
                 + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY started_at DESC, id DESC")
        return [_run(row) for row in self._db.execute(query, (set_name,) if set_name is not None else ())]

    def close(self) -> None:
        self._db.close()


def _stamp(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def _run_row(run: DrillRun) -> dict[str, Any]:
    return {"id": run.id, "set_name": run.set_name, "set_hash": run.set_hash, "route": run.route,
            "paths": json.dumps(run.paths), "cut_off": json.dumps(run.cut_off), "fallbacks": json.dumps(run.fallbacks),
            "catalog_version": run.catalog_version, "threshold": run.threshold, "prompts": run.prompts,
            "started_at": _stamp(run.started_at), "status": run.status, "finished_at": _stamp(run.finished_at),
            "passed": run.passed, "pass_rate": run.pass_rate, "latency_ms": json.dumps(run.latency_ms),
            "input_tokens": run.input_tokens, "output_tokens": run.output_tokens}


def _run(row: tuple[Any, ...]) -> DrillRun:
    values = dict(zip(_RUN_COLUMNS, row, strict=True))
    for key in ("paths", "cut_off", "fallbacks"):
        values[key] = tuple(json.loads(values[key]))
    values["latency_ms"] = json.loads(values["latency_ms"])
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    values["finished_at"] = datetime.fromisoformat(values["finished_at"]) if values["finished_at"] else None
    return DrillRun(**values)


def _result(row: tuple[Any, ...]) -> PromptResult:
    values = dict(zip(_RESULT_COLUMNS, row, strict=True))
    values["scores"] = json.loads(values["scores"])
    values["passed"] = bool(values["passed"])
    return PromptResult(**values)

"""Drill runs and results in the store (SQLite or PostgreSQL): by default the scan history's, so one place holds
what was measured."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from offramp.store.database import Database, as_datetime
from offramp.store.drills import DrillRun, PrimaryReply, PrimarySide, PromptResult

_RUN_COLUMNS = ("id", "set_name", "set_hash", "route", "paths", "cut_off", "fallbacks", "catalog_version",
                "threshold", "prompts", "started_at", "status", "finished_at", "passed", "pass_rate", "latency_ms",
                "input_tokens", "output_tokens", "primary_side")
_RESULT_COLUMNS = ("prompt_id", "state", "served_by", "failovers", "status", "latency_ms", "input_tokens",
                   "output_tokens", "answer", "scores", "passed", "scoring_ms", "primary_side")


class SQLDrillStore:
    """A :class:`~offramp.store.drills.DrillStore` over :mod:`offramp.store.database`; every write is committed at
    once."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def start(self, run: DrillRun) -> DrillRun:
        row = _run_row(run)
        del row["id"]
        with self._db.transaction() as tx:
            inserted = tx.fetchone(f"INSERT INTO drill_runs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) "
                                   "RETURNING id", tuple(row.values()))
        return replace(run, id=inserted[0] if inserted else None)

    def unfinished(self, set_name: str, set_hash: str, route: str) -> DrillRun | None:
        row = self._db.fetchone(
            f"SELECT {', '.join(_RUN_COLUMNS)} FROM drill_runs WHERE set_name = ? AND set_hash = ? AND route = ? "
            "AND status = 'running' ORDER BY id DESC LIMIT 1", (set_name, set_hash, route))
        return _run(row) if row else None

    def results(self, run_id: int) -> dict[str, PromptResult]:
        rows = self._db.fetchall(f"SELECT {', '.join(_RESULT_COLUMNS)} FROM drill_results WHERE run_id = ?",
                                 (run_id,))
        return {row[0]: _result(row) for row in rows}

    def mark_sent(self, run_id: int, prompt_id: str) -> None:
        self._db.execute("INSERT INTO drill_results (run_id, prompt_id, state) VALUES (?, ?, 'sent')",
                         (run_id, prompt_id))

    def save(self, run_id: int, result: PromptResult) -> None:
        values = [getattr(result, c) for c in _RESULT_COLUMNS[:-1]] + [_json_or_null(result.primary)]
        values[_RESULT_COLUMNS.index("scores")] = json.dumps(result.scores)
        self._db.execute(f"INSERT INTO drill_results (run_id, {', '.join(_RESULT_COLUMNS)}) "
                         f"VALUES (?, {', '.join('?' * len(_RESULT_COLUMNS))}) ON CONFLICT (run_id, prompt_id) "
                         f"DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _RESULT_COLUMNS[1:])}",
                         (run_id, *values))

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
        return [_run(row) for row in self._db.fetchall(query, (set_name,) if set_name is not None else ())]

    def close(self) -> None:
        self._db.close()


def _second(when: datetime | None) -> datetime | None:
    """Kept to the second, as both engines then give back the same time."""
    return when.replace(microsecond=0) if when else None


def _run_row(run: DrillRun) -> dict[str, Any]:
    return {"id": run.id, "set_name": run.set_name, "set_hash": run.set_hash, "route": run.route,
            "paths": json.dumps(run.paths), "cut_off": json.dumps(run.cut_off), "fallbacks": json.dumps(run.fallbacks),
            "catalog_version": run.catalog_version, "threshold": run.threshold, "prompts": run.prompts,
            "started_at": _second(run.started_at), "status": run.status, "finished_at": _second(run.finished_at),
            "passed": run.passed, "pass_rate": run.pass_rate, "latency_ms": json.dumps(run.latency_ms),
            "input_tokens": run.input_tokens, "output_tokens": run.output_tokens,
            "primary_side": _json_or_null(run.primary)}


def _json_or_null(side: PrimarySide | PrimaryReply | None) -> str | None:
    return json.dumps(asdict(side)) if side is not None else None


def _run(row: tuple[Any, ...]) -> DrillRun:
    values = dict(zip(_RUN_COLUMNS, row, strict=True))
    for key in ("paths", "cut_off", "fallbacks"):
        values[key] = tuple(json.loads(values[key]))
    values["latency_ms"] = json.loads(values["latency_ms"])
    values["started_at"] = as_datetime(values["started_at"])
    values["finished_at"] = as_datetime(values["finished_at"]) if values["finished_at"] else None
    side = values.pop("primary_side")
    return DrillRun(**values, primary=PrimarySide(**json.loads(side)) if side else None)


def _result(row: tuple[Any, ...]) -> PromptResult:
    values = dict(zip(_RESULT_COLUMNS, row, strict=True))
    values["scores"] = json.loads(values["scores"])
    values["passed"] = bool(values["passed"])
    side = values.pop("primary_side")
    return PromptResult(**values, primary=PrimaryReply(**json.loads(side)) if side else None)

-- The schema offramp wrote before versioned migrations (history files at PRAGMA user_version 1, drill runs,
-- gateway telemetry): IF NOT EXISTS, so such a file takes this step without change.
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY,
    repository TEXT NOT NULL,
    commit_sha TEXT,
    recorded_at TEXT NOT NULL,
    paths INTEGER NOT NULL,
    critical_paths INTEGER NOT NULL,
    at_risk_paths INTEGER NOT NULL,
    exposed_no_fallback INTEGER NOT NULL,
    exposed_48h INTEGER NOT NULL,
    waived_paths INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS scans_by_repository ON scans (repository, recorded_at);
CREATE TABLE IF NOT EXISTS scan_paths (
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    exposure_level INTEGER NOT NULL,
    PRIMARY KEY (scan_id, fingerprint)
);
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
CREATE TABLE IF NOT EXISTS gateway_requests (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    alias TEXT NOT NULL,
    client_api TEXT NOT NULL,
    target TEXT,
    provider TEXT,
    jurisdiction TEXT,
    open_weights INTEGER,
    status INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    exposed INTEGER NOT NULL,
    chain TEXT NOT NULL,
    client_key TEXT
);
CREATE INDEX IF NOT EXISTS gateway_requests_ts ON gateway_requests (ts);
CREATE TABLE IF NOT EXISTS gateway_cutoffs (
    provider TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    since REAL NOT NULL
);

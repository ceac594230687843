-- What the dashboard shows: each scan's branch, each path's provider, jurisdiction, model and criticality.
ALTER TABLE scans ADD COLUMN branch TEXT;
ALTER TABLE scan_paths ADD COLUMN provider TEXT;
ALTER TABLE scan_paths ADD COLUMN jurisdiction TEXT;
ALTER TABLE scan_paths ADD COLUMN model TEXT;
ALTER TABLE scan_paths ADD COLUMN critical BOOLEAN;
ALTER TABLE scan_paths ADD COLUMN at_risk BOOLEAN;
-- The exposure series reads only the index over a window of a million requests.
CREATE INDEX gateway_requests_series ON gateway_requests (ts) INCLUDE (exposed, input_tokens, output_tokens);
DROP INDEX gateway_requests_ts;

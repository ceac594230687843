-- What the dashboard shows: each scan's branch, each path's provider, jurisdiction, model and criticality.
-- Rows recorded before this step keep NULL there (unknown).
ALTER TABLE scans ADD COLUMN branch TEXT;
ALTER TABLE scan_paths ADD COLUMN provider TEXT;
ALTER TABLE scan_paths ADD COLUMN jurisdiction TEXT;
ALTER TABLE scan_paths ADD COLUMN model TEXT;
ALTER TABLE scan_paths ADD COLUMN critical INTEGER;
ALTER TABLE scan_paths ADD COLUMN at_risk INTEGER;

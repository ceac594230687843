-- The route's primary, asked directly beside the fallback when a drill compares them (drill.compare_with_primary):
-- its answer to each prompt and its numbers over a run, as JSON. NULL: not compared (and every row before this step).
ALTER TABLE drill_runs ADD COLUMN primary_side TEXT;
ALTER TABLE drill_results ADD COLUMN primary_side TEXT;

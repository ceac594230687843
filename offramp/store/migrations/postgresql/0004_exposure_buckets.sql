-- The gateways' requests and tokens per 5 minutes (offramp.store.telemetry.ROLLUP_SECONDS), kept up to date by each
-- write: a series over weeks or months reads these rows, not every request (on PostgreSQL, 90 days of a million
-- requests took 2.5 s to aggregate from gateway_requests).
CREATE TABLE gateway_exposure_buckets (
    start DOUBLE PRECISION PRIMARY KEY,
    requests BIGINT NOT NULL,
    exposed_requests BIGINT NOT NULL,
    tokens BIGINT NOT NULL,
    exposed_tokens BIGINT NOT NULL
);
-- The requests recorded before this step.
INSERT INTO gateway_exposure_buckets (start, requests, exposed_requests, tokens, exposed_tokens)
SELECT floor(ts / 300) * 300, COUNT(*), SUM(CASE WHEN exposed THEN 1 ELSE 0 END), SUM(input_tokens + output_tokens),
       SUM(CASE WHEN exposed THEN input_tokens + output_tokens ELSE 0 END)
FROM gateway_requests GROUP BY 1;

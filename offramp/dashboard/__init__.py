"""``offramp dashboard``: one web page with the organisation's exposure, read from the store."""

"""Reports of an assessment: terminal, JSON, SARIF, CycloneDX, Markdown and HTML (``publish`` makes them)."""

FORMATS = ("terminal", "json", "sarif", "cyclonedx", "markdown", "html")

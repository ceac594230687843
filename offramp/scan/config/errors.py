"""The one error a configuration or manifest file raises when it cannot be read as its format."""


class ConfigError(ValueError):
    """A file that cannot be read as the format its name promises; ``reason`` is ready for a skipped-file
    entry and says what is wrong and where."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

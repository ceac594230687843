"""Configuration and infrastructure files: model ids, model endpoints, env variables and model resources
in ``.env``, docker-compose, Kubernetes, Helm values, YAML/JSON/TOML, ``.properties`` and Terraform files.

``extract_config`` reads one file; ``config_family`` says whether (and as what) a file is read; the
walker collects ``config_suffixes()`` and ``config_name_prefixes()``. What counts as a model or endpoint
key, which images are model servers and which Terraform resources provision models is data:
``rules.toml``.
"""

from offramp.scan.config.errors import ConfigError
from offramp.scan.config.extract import extract_config
from offramp.scan.config.files import config_family, config_name_prefixes, config_suffixes

__all__ = ["ConfigError", "config_family", "config_name_prefixes", "config_suffixes", "extract_config"]

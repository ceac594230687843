"""Configuration and infrastructure files: model ids, model endpoints, env variables and model resources
in ``.env``, docker-compose, Kubernetes, Helm values, YAML/JSON/TOML, ``.properties`` and Terraform files.

``extract.extract_config`` reads one file; ``config_family`` says whether (and as what) a file is read;
the walker collects ``config_suffixes()`` and ``config_name_prefixes()``. What counts as a model or
endpoint key, which images are model servers and which Terraform resources provision models is data:
``rules.toml``.

The package itself holds only what the walker asks of every tree: the readers of the formats (with PyYAML
and python-dotenv) are imported from ``extract`` when a tree has a configuration file to read.
"""

from offramp.scan.config.errors import ConfigError
from offramp.scan.config.files import config_family, config_name_prefixes, config_suffixes

__all__ = ["ConfigError", "config_family", "config_name_prefixes", "config_suffixes"]

"""Where a path's code can be read: a web link when the repository key is a hosted git remote."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_SCP_REMOTE = re.compile(r"^[\w.-]+@(?P<host>[\w.-]+):(?P<path>[^/].*)$")
"""'git@github.com:org/repo.git', the form `git clone` prints for SSH."""


def source_link(repository: str, commit: str | None, file: str, line: int) -> str | None:
    """``https://host/org/repo/blob/<commit>/<file>#L<line>`` (the form GitHub and GitLab both serve), or None
    when the repository key is not a hosted remote (a local path) or the commit is unknown."""
    if not commit or not re.fullmatch(r"[0-9a-fA-F]{7,64}", commit):
        return None
    remote, inside = _split_inside(repository)
    host, path = _host_and_path(remote)
    if not host or path.count("/") < 1:
        return None
    file_path = "/".join(part for part in (inside, file) if part)
    return f"https://{host}/{quote(path)}/blob/{commit}/{quote(file_path)}#L{int(line)}"


def _split_inside(repository: str) -> tuple[str, str]:
    """A key of a sub-folder scan is ``<remote>//<folder>``; the remote's own ``scheme://`` is not that cut."""
    scheme, separator, rest = repository.rpartition("://")
    remote, _, inside = rest.partition("//")
    return f"{scheme}{separator}{remote}", inside


def _host_and_path(remote: str) -> tuple[str | None, str]:
    if match := _SCP_REMOTE.match(remote):
        host, path = match["host"], match["path"]
    else:
        parts = urlsplit(remote)
        if parts.scheme not in ("https", "http", "ssh", "git") or not parts.hostname:
            return None, ""
        host, path = parts.hostname, parts.path
    return host, path.strip("/").removesuffix(".git")

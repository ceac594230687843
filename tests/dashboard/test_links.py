"""A path links to its line where the repository is hosted, and stays plain text where it is not."""

from __future__ import annotations

import pytest

from offramp.dashboard.links import source_link

COMMIT = "0123abcd" * 5


@pytest.mark.parametrize(("repository", "expected"), [
    ("https://github.com/acme/app.git", f"https://github.com/acme/app/blob/{COMMIT}/src/a.py#L7"),
    ("https://gitlab.example.com/group/sub/app", f"https://gitlab.example.com/group/sub/app/blob/{COMMIT}/src/a.py#L7"),
    ("git@gitlab.com:group/app.git", f"https://gitlab.com/group/app/blob/{COMMIT}/src/a.py#L7"),
    ("ssh://git@github.com/acme/app.git", f"https://github.com/acme/app/blob/{COMMIT}/src/a.py#L7"),
    # a scan of a sub-folder: its files are relative to that folder
    ("https://github.com/acme/app.git//services/api", f"https://github.com/acme/app/blob/{COMMIT}/services/api/src/a.py#L7"),
])
def test_a_hosted_remote_links_to_the_line_at_the_commit(repository: str, expected: str) -> None:
    assert source_link(repository, COMMIT, "src/a.py", 7) == expected


@pytest.mark.parametrize(("repository", "commit"), [
    ("/home/dev/app", COMMIT),  # no remote: the key is a local path
    ("/home/dev/app//services", COMMIT),
    ("https://github.com/acme", COMMIT),  # no repository in the path
    ("file:///srv/git/app.git", COMMIT),
    ("https://github.com/acme/app.git", None),  # commit unknown
    ("https://github.com/acme/app.git", "main; rm -rf"),
])
def test_anything_else_stays_plain_text(repository: str, commit: str | None) -> None:
    assert source_link(repository, commit, "src/a.py", 7) is None


def test_a_hostile_file_name_is_quoted_into_the_link() -> None:
    link = source_link("https://github.com/acme/app", COMMIT, 'a/"><script>x</script> #?.py', 3)
    assert link == f"https://github.com/acme/app/blob/{COMMIT}/a/%22%3E%3Cscript%3Ex%3C/script%3E%20%23%3F.py#L3"

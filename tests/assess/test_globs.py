from offramp.assess.globs import first_match


def test_the_first_glob_that_matches_is_named_whichever_others_match_too() -> None:
    assert first_match(("*.md", "docs/"), "docs/guide.md") == "*.md"
    assert first_match(("docs/", "*.md"), "docs/guide.md") == "docs/"
    assert first_match(("docs/", "*.md"), "app/chat.py") is None


def test_a_negated_glob_matches_nothing_and_undoes_no_other_glob() -> None:
    # Each glob is matched on its own: beside the others in one .gitignore, the negation would undo them.
    assert first_match(("app/*.py", "!app/chat.py"), "app/chat.py") == "app/*.py"
    assert first_match(("!app/chat.py", "app/"), "app/chat.py") == "app/"
    assert first_match(("!app/chat.py",), "app/chat.py") is None

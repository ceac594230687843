from __future__ import annotations

from types import SimpleNamespace

from acme_support import triage
from acme_support.tickets import Category, Priority


def _answer(content: str) -> SimpleNamespace:
    return SimpleNamespace(choices=[SimpleNamespace(message=SimpleNamespace(content=content))])


class FakeCompletions:
    def __init__(self, content: str) -> None:
        self.content = content
        self.requests: list[dict] = []

    def create(self, **request: object) -> SimpleNamespace:
        self.requests.append(request)
        return _answer(self.content)


def test_triage_reads_category_and_priority(monkeypatch, ticket) -> None:
    fake = FakeCompletions('{"category": "bug", "priority": "high"}')
    monkeypatch.setattr(triage, "openai_client", SimpleNamespace(chat=SimpleNamespace(completions=fake)))

    assert triage.triage(ticket) == (Category.BUG, Priority.HIGH)
    assert fake.requests[0]["model"] == triage.TRIAGE_MODEL


def test_unusable_answer_falls_back_to_normal(monkeypatch, ticket) -> None:
    fake = FakeCompletions("I think this is a billing question.")
    monkeypatch.setattr(triage, "openai_client", SimpleNamespace(chat=SimpleNamespace(completions=fake)))

    assert triage.triage(ticket) == (Category.OTHER, Priority.NORMAL)

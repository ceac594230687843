"""The resolver's call-name index: every recorded call of a name, in the order of the modules, as modules are
loaded while resolving; a list handed out before stays as it was (a caller may still be reading it)."""

from __future__ import annotations

from offramp.catalog import Catalog
from offramp.scan.envfiles import EnvValues
from offramp.scan.facts import CallFact, ModuleFacts
from offramp.scan.resolve import Resolver
from offramp.scan.values import Lit, Ref


def _module(name: str, *lines: int) -> ModuleFacts:
    return ModuleFacts(name, f"{name}.py", calls={"send": [CallFact(Ref("helpers", "send"), line, (), ()) for line in lines]})


def _sites(calls: list[tuple[str, CallFact]]) -> list[tuple[str, int]]:
    return [(relpath, call.line) for relpath, call in calls]


def test_the_calls_of_modules_loaded_later_follow_in_module_order() -> None:
    modules = {"a": _module("a", 1, 2)}
    resolver = Resolver(modules, EnvValues(), Catalog.load(), lambda name: None)
    first = resolver.calls_named("send")
    modules["b"] = _module("b", 3)
    modules["c"] = ModuleFacts("c", "c.py", calls={"other": [CallFact(Lit("x"), 4, (), ())]})
    assert _sites(resolver.calls_named("send")) == [("a.py", 1), ("a.py", 2), ("b.py", 3)]
    assert _sites(resolver.calls_named("other")) == [("c.py", 4)]
    assert _sites(first) == [("a.py", 1), ("a.py", 2)]


def test_a_module_replaced_by_its_full_facts_is_indexed_anew() -> None:
    modules = {"a": _module("a", 1), "b": _module("b", 2)}
    resolver = Resolver(modules, EnvValues(), Catalog.load(), lambda name: None)
    assert _sites(resolver.calls_named("send")) == [("a.py", 1), ("b.py", 2)]
    modules["a"] = _module("a", 5)  # the outline of a file replaced by its full analysis
    modules["d"] = _module("d", 6)
    assert _sites(resolver.calls_named("send")) == [("a.py", 5), ("b.py", 2), ("d.py", 6)]

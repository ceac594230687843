"""Jurisdiction policy (which targets a request may reach) and live exposure (who could have served it)."""

from __future__ import annotations

from offramp.gateway.config import ClientKey, Route, Target


def allowed(route: Route, key: ClientKey | None) -> tuple[Target, ...]:
    """The route's targets that neither the route nor the client key forbids, in chain order."""
    forbid = route.forbid_jurisdictions | (key.forbid_jurisdictions if key else frozenset())
    no_at_risk = route.forbid_at_risk_closed or bool(key and key.forbid_at_risk_closed)
    return tuple(t for t in route.targets
                 if t.jurisdiction not in forbid and not (no_at_risk and t.at_risk_closed))


def refusal(route: Route, key: ClientKey | None) -> str:
    """Why no target is left, for the client."""
    who = f"route {route.alias!r}" + (f" and client key {key.name!r}" if key else "")
    return (f"no target of model {route.alias!r} is allowed: {who} forbid every target's jurisdiction or "
            "at-risk closed models; add an allowed target (e.g. a self-hosted model) to the route")

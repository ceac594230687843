"""Semantic search over each tenant's knowledge base (help-centre articles and solved tickets).

Vectors are stored in PostgreSQL with pgvector; all of them come from the same embedding model, so a
model change means re-embedding every tenant's articles.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from acme_support.clients import openai_client
from acme_support.settings import settings

log = logging.getLogger(__name__)

EMBEDDING_MODEL = "text-embedding-3-small"
EMBEDDING_DIMENSIONS = 1536


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    body: str
    score: float


def embed(texts: Sequence[str]) -> list[list[float]]:
    response = openai_client.embeddings.create(model=EMBEDDING_MODEL, input=list(texts))
    return [item.embedding for item in response.data]


def search(tenant_id: str, query: str, limit: int = 5) -> list[Article]:
    [vector] = embed([query])
    with psycopg.connect(settings.DATABASE_URL) as conn:
        rows = conn.execute(
            "SELECT id, title, body, 1 - (embedding <=> %s::vector) AS score FROM kb_articles "
            "WHERE tenant_id = %s ORDER BY embedding <=> %s::vector LIMIT %s",
            (vector, tenant_id, vector, limit),
        ).fetchall()
    log.debug("kb search for tenant %s returned %d articles", tenant_id, len(rows))
    return [Article(*row) for row in rows]

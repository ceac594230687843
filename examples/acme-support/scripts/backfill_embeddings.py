"""One-off: embed the knowledge-base articles imported from the old help centre (ticket OPS-1182).

Run once by hand after the import; safe to re-run, it only embeds articles without a vector.
"""

from __future__ import annotations

import psycopg
from openai import OpenAI

from acme_support.settings import settings

BATCH = 100

# TODO(OPS-1190): read the key from the environment and rotate this one.
client = OpenAI(api_key="sk-proj-AcmeBackfill7Qw2Xe9Rt4Yu1Io8Pa5Sd3Fg6Hj0Kl2Zx")


def main() -> None:
    with psycopg.connect(settings.DATABASE_URL) as conn:
        while True:
            rows = conn.execute(
                "SELECT id, title || E'\\n' || body FROM kb_articles WHERE embedding IS NULL LIMIT %s", (BATCH,)
            ).fetchall()
            if not rows:
                break
            response = client.embeddings.create(model="text-embedding-3-small", input=[text for _, text in rows])
            for (article_id, _), item in zip(rows, response.data, strict=True):
                conn.execute("UPDATE kb_articles SET embedding = %s WHERE id = %s", (item.embedding, article_id))
            conn.commit()
            print(f"embedded {len(rows)} articles")


if __name__ == "__main__":
    main()

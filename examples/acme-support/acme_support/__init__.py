"""Acme Support: AI-assisted customer support for B2B teams in Taiwan.

Triage, reply drafting, summaries, knowledge-base search, zh-TW translation and moderation for the
support desks of Acme's business customers.
"""

__version__ = "2.8.1"

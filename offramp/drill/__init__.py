"""Drills: cut the at-risk providers off on purpose, replay prompt sets through the fallbacks, store verdicts."""

"""Shared API clients, created once per process.

Keys come from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, DEEPSEEK_API_KEY); see .env.example.
"""

from __future__ import annotations

import os

import anthropic
from openai import OpenAI

DEEPSEEK_BASE_URL = "https://api.deepseek.com"
# Our on-prem Ollama box speaks the OpenAI protocol; in production OLLAMA_BASE_URL points at the GPU node.
OLLAMA_BASE_URL = os.getenv("OLLAMA_BASE_URL", "http://localhost:11434/v1")

openai_client = OpenAI(max_retries=3, timeout=30.0)
anthropic_client = anthropic.Anthropic(max_retries=3)
deepseek_client = OpenAI(base_url=DEEPSEEK_BASE_URL, api_key=os.getenv("DEEPSEEK_API_KEY"), timeout=60.0)
local_client = OpenAI(base_url=OLLAMA_BASE_URL, api_key="ollama", timeout=120.0)

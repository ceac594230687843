"""zh-TW translation of replies written in English by agents outside Taiwan.

The cloud model writes the better Traditional Chinese; the on-prem Llama takes over when it fails.
"""

from __future__ import annotations

from langchain_core.prompts import ChatPromptTemplate
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from acme_support.settings import settings

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "Translate the support reply into Traditional Chinese as used in Taiwan (zh-TW). "
                   "Keep product names, code and URLs unchanged. Use the polite business register."),
        ("human", "{reply}"),
    ]
)

translator = prompt | ChatOpenAI(model="gpt-4o-mini", temperature=0).with_fallbacks(
    [ChatOllama(model="llama3.1:8b", base_url=settings.OLLAMA_HOST, temperature=0)]
)


def to_zh_tw(reply: str) -> str:
    return translator.invoke({"reply": reply}).content

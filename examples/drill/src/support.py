import anthropic

client = anthropic.Anthropic()
SYSTEM_PROMPT = "You are the support assistant of Acme, a parcel delivery company. Be brief and polite."


def answer(question: str) -> str:
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, system=SYSTEM_PROMPT,
                                   messages=[{"role": "user", "content": question}])
    return reply.content[0].text

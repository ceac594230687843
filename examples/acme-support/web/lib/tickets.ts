import type { CoreMessage } from "ai";

export async function loadTicketThread(ticketId: string): Promise<CoreMessage[]> {
  const response = await fetch(`${process.env.ACME_API_URL}/tickets/${ticketId}/thread`);
  if (!response.ok) throw new Error(`ticket ${ticketId}: HTTP ${response.status}`);
  const { messages } = (await response.json()) as { messages: { from: string; body: string }[] };
  return messages.map((m) => ({ role: m.from === "agent" ? "assistant" : "user", content: m.body }));
}

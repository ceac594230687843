// Agent console: streams a suggested reply for the ticket the agent has open.
import { streamText, type CoreMessage } from "ai";
import { openai } from "@ai-sdk/openai";

import { loadTicketThread } from "@/lib/tickets";

export const runtime = "nodejs";

const REPLY_MODEL = process.env.REPLY_MODEL ?? "gpt-4o-mini";

export async function POST(request: Request): Promise<Response> {
  const { ticketId } = (await request.json()) as { ticketId: string };
  const thread: CoreMessage[] = await loadTicketThread(ticketId);

  const result = streamText({
    model: openai(REPLY_MODEL),
    system: "You are a courteous support agent for Acme. Answer in the customer's language.",
    messages: thread,
    temperature: 0.3,
  });
  return result.toDataStreamResponse();
}

// Quick-reply chips under the composer: short, cheap, served by our own vLLM box.
import { generateText } from "ai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";

const local = createOpenAICompatible({
  name: "acme-vllm",
  baseURL: process.env.VLLM_BASE_URL ?? "http://localhost:8000/v1",
});

export async function quickReplies(lastMessage: string): Promise<string[]> {
  const { text } = await generateText({
    model: local("Qwen/Qwen2.5-7B-Instruct"),
    prompt: `Suggest three short replies, one per line, to:\n${lastMessage}`,
    maxTokens: 120,
  });
  return text.split("\n").map((line) => line.trim()).filter(Boolean).slice(0, 3);
}

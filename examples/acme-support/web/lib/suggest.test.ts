import { expect, test } from "vitest";
import { generateText } from "ai";
import { openai } from "@ai-sdk/openai";

test.skipIf(!process.env.OPENAI_API_KEY)("the hosted model can also write quick replies", async () => {
  const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt: "Say hi" });
  expect(text.length).toBeGreaterThan(0);
});

import { describe, expect, it } from "vitest";
import { generateAnswer, tokenize } from "./generate-answer.js";

describe("generateAnswer", () => {
  it("answers the same prompt with the same text, and other prompts with other text", () => {
    const first = generateAnswer("How do I stream answers in Next.js?").join("");
    expect(generateAnswer("How do I stream answers in Next.js?").join("")).toBe(first);
    expect(generateAnswer("How do webhooks retry?").join("")).not.toBe(first);
  });

  it("writes Markdown: a paragraph, a list, and for some prompts a fenced code block", () => {
    const answers = Array.from({ length: 20 }, (_, index) => generateAnswer(`Question ${index}`).join(""));
    for (const answer of answers) {
      expect(answer).toMatch(/^[A-Z][^\n]+\.\n\n- \*\*/u);
    }
    expect(answers.some((answer) => answer.includes("```"))).toBe(true);
    expect(answers.some((answer) => !answer.includes("```"))).toBe(true);
  });

  it("gives exactly the asked number of tokens, repeating sections for long answers", () => {
    expect(generateAnswer("long", { tokens: 10_000 })).toHaveLength(10_000);
    expect(generateAnswer("short", { tokens: 1 })).toHaveLength(1);
  });
});

describe("tokenize", () => {
  it("splits into word-sized pieces that join back to the text", () => {
    const text = "Hello, world — naïve `code()`\n\n- **Item**: done.";
    expect(tokenize(text).join("")).toBe(text);
    expect(tokenize("Hi there.\n")).toEqual(["Hi", " there", ".", "\n"]);
  });
});

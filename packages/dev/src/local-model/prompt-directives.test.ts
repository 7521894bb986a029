import { parsePromptDirectives } from "@sprocket/dev";
import { expect, it } from "vitest";

it("reads test directives from a prompt and removes them from the text that seeds the answer", () => {
  expect(parsePromptDirectives("Hi [[stall=3]]")).toEqual({
    prompt: "Hi",
    directives: { failure: "stall", failAfterTokens: 3 },
  });
  expect(parsePromptDirectives("[[fail-before-first-token]] Hi").directives).toEqual({
    failure: "before-first-token",
  });
  expect(parsePromptDirectives("Hi [[fail-mid-stream]] [[fast]] [[tokens=500]]").directives).toEqual({
    failure: "mid-stream",
    isFast: true,
    tokens: 500,
  });
  expect(parsePromptDirectives("Plain [text]").directives).toEqual({});
});

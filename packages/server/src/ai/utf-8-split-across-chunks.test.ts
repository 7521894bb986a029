import { route } from "@sprocket/server";
import { openAIResponseStream } from "@sprocket/server/ai";
import fc from "fast-check";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { sseAnswer } from "./test/answer-fixtures.js";

const encoder = new TextEncoder();
const logger = pino({ level: "silent" });

/** Relays `deltas` as OpenAI's bytes cut at `cuts` (byte offsets), and returns the client's text. */
async function relay(deltas: readonly string[], cuts: readonly number[]): Promise<string> {
  const bytes = encoder.encode(sseAnswer(deltas));
  const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks = [0, ...offsets].map((start, index) => bytes.subarray(start, offsets[index] ?? bytes.length));
  const upstream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const handler = route(async ({ reply }) => reply.send(openAIResponseStream(upstream)), { logger });
  const response = await handler(new Request("https://app.test/chat", { method: "POST" }));
  return await response.text();
}

describe("UTF-8 split across upstream chunks", () => {
  it("keeps every character whole whatever byte it is cut at", async () => {
    const deltas = ["héllo ", "世界 ", "👋🏽", " ok"];
    const length = encoder.encode(sseAnswer(deltas)).length;
    for (let offset = 0; offset <= length; offset++) {
      expect(await relay(deltas, [offset])).toBe("héllo 世界 👋🏽 ok");
    }
  });

  it("never produces U+FFFD for random text and random chunkings (property)", async () => {
    const text = fc.oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
      fc.constantFrom("é", "世界", "👋🏽", "👨‍👩‍👧", "🇫🇷", "\u{10FFFF}"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (deltas, cuts) => {
          expect(await relay(deltas, cuts)).toBe(deltas.join(""));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a character whose UTF-16 halves arrive in different reads whole", async () => {
    // An async iterable of strings, or a provider that escapes each half (`\ud83d` then `\ude00`)
    // in events that come in different reads: the pair must reach the client as one character.
    const relayPieces = async (pieces: readonly string[]) => {
      const handler = route(
        async ({ reply }) =>
          reply.send(
            openAIResponseStream(
              (async function* () {
                yield* pieces;
              })(),
            ),
          ),
        { logger },
      );
      const response = await handler(new Request("https://app.test/chat", { method: "POST" }));
      return new Uint8Array(await response.arrayBuffer());
    };
    expect(new TextDecoder().decode(await relayPieces(["a\ud83d", "\ude00b"]))).toBe("a\u{1F600}b");
    expect(new TextDecoder().decode(await relayPieces(["\ud83d", "\ude00", "\ud83d", "\ude00"]))).toBe(
      "\u{1F600}\u{1F600}",
    );
    // A high surrogate that never gets its pair ends the answer as U+FFFD, once.
    expect(new TextDecoder().decode(await relayPieces(["ok\ud83d"]))).toBe("ok\uFFFD");
  });
});

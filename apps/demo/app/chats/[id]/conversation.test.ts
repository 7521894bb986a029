import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARACTERS } from "@/lib/message-limits";
import {
  conversationFor,
  HISTORY_CHARACTERS,
  HISTORY_MESSAGES,
  messagesOnScreen,
  type SavedMessage,
  type Turn,
} from "./conversation";

function saved(
  order: number,
  role: SavedMessage["role"],
  content: string,
  status: SavedMessage["status"] = "complete",
) {
  return { id: `m${order}`, order, role, content, status } satisfies SavedMessage;
}

const history = [saved(1, "user", "Where in May?"), saved(2, "assistant", "Lisbon.")];

describe("conversationFor", () => {
  it("sends the saved conversation in order, then the question", () => {
    expect(conversationFor(history, "And in June?")).toEqual([
      { role: "user", content: "Where in May?" },
      { role: "assistant", content: "Lisbon." },
      { role: "user", content: "And in June?" },
    ]);
  });

  it("leaves out answers still streaming, empty answers of a failed model, and system messages", () => {
    const messages = [
      saved(1, "system", "Be brief."),
      saved(2, "user", "Hi"),
      saved(3, "assistant", "", "error"),
      saved(4, "user", "Hi again"),
      saved(5, "assistant", "Hel", "streaming"),
    ];
    expect(conversationFor(messages, "?")).toEqual([
      { role: "user", content: "Hi" },
      { role: "user", content: "Hi again" },
      { role: "user", content: "?" },
    ]);
  });

  it("keeps stopped and cut-off answers, and cuts an answer longer than a message may be", () => {
    const long = "x".repeat(MAX_MESSAGE_CHARACTERS + 10);
    const sent = conversationFor(
      [saved(1, "assistant", "Part", "aborted"), saved(2, "assistant", long)],
      "?",
    );
    expect(sent[0]).toEqual({ role: "assistant", content: "Part" });
    expect(sent[1]?.content).toHaveLength(MAX_MESSAGE_CHARACTERS);
  });

  it("sends the latest history within the route's limits", () => {
    const many = Array.from({ length: HISTORY_MESSAGES + 5 }, (_, index) =>
      saved(index + 1, "user", `${index + 1}`),
    );
    const sent = conversationFor(many, "?");
    expect(sent).toHaveLength(HISTORY_MESSAGES + 1);
    expect(sent[0]?.content).toBe("6");
    const large = Array.from({ length: 10 }, (_, index) =>
      saved(index + 1, "user", "y".repeat(MAX_MESSAGE_CHARACTERS)),
    );
    const characters = conversationFor(large, "?").reduce((sum, message) => sum + message.content.length, 0);
    expect(characters).toBeLessThanOrEqual(HISTORY_CHARACTERS + 1);
  });
});

describe("messagesOnScreen", () => {
  const turn = (change: Partial<Turn> = {}): Turn => ({
    prompt: "And in June?",
    afterOrder: 2,
    answer: "Porto",
    status: "streaming",
    isRefused: false,
    ...change,
  });

  it("shows the question and the answer so far before the server's messages arrive", () => {
    expect(messagesOnScreen(history, turn()).slice(2)).toEqual([
      { key: "turn-question", role: "user", content: "And in June?", status: "complete" },
      { key: "turn-answer", role: "assistant", content: "Porto", status: "streaming" },
    ]);
  });

  it("shows the streamed text in place of the reserved message, once, with the same keys", () => {
    const reserved = [...history, saved(3, "user", "And in June?"), saved(4, "assistant", "", "streaming")];
    const shown = messagesOnScreen(reserved, turn({ status: "complete", answer: "Porto, then." }));
    expect(shown).toHaveLength(4);
    expect(shown.slice(2)).toEqual([
      { key: "turn-question", role: "user", content: "And in June?", status: "complete" },
      { key: "turn-answer", role: "assistant", content: "Porto, then.", status: "complete" },
    ]);
  });

  it("shows the saved answer once the server has saved its ending", () => {
    const ended = [...history, saved(3, "user", "And in June?"), saved(4, "assistant", "Porto", "aborted")];
    expect(messagesOnScreen(ended, turn({ answer: "Por", status: "aborted" })).at(-1)).toEqual({
      key: "turn-answer",
      role: "assistant",
      content: "Porto",
      status: "aborted",
    });
  });

  it("takes the turn's question by its text, so a previous question saved late is not taken for it", () => {
    const late = [...history, saved(3, "user", "Earlier?"), saved(4, "assistant", "Yes.")];
    const shown = messagesOnScreen(late, turn());
    expect(shown.map(({ key }) => key)).toEqual(["m1", "m2", "m3", "m4", "turn-question", "turn-answer"]);
  });

  it("shows nothing of a question the server refused", () => {
    expect(messagesOnScreen(history, turn({ answer: "", status: "error", isRefused: true }))).toHaveLength(2);
  });
});

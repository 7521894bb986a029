// What the chat sends to POST /chat and what it shows while an answer streams. Pure functions, so
// the rules are tested without a browser.
import { MAX_MESSAGE_CHARACTERS } from "@/lib/message-limits";

export type MessageStatus = "streaming" | "complete" | "aborted" | "error";

/** A message as the model API returns it, reduced to what the chat reads. */
export interface SavedMessage {
  id: string;
  order: number;
  role: "system" | "user" | "assistant";
  content: string;
  status: MessageStatus;
}

/** A message as the list shows it: saved, or this page's own while the server has not saved it yet. */
export interface ShownMessage {
  key: string;
  role: SavedMessage["role"];
  content: string;
  status: MessageStatus;
}

/** The question this page sent last, and how its answer stands. */
export interface Turn {
  prompt: string;
  /** The order of the last saved message when it was sent: the turn's messages come after it. */
  afterOrder: number;
  /** The answer so far, as it streams. */
  answer: string;
  status: MessageStatus;
  /** Whether the server may have saved nothing (refused before the stream began). */
  isRefused: boolean;
}

/**
 * The most history sent along with a question, in characters: the route takes 256 KiB, and a
 * character may take 3 bytes of UTF-8.
 */
export const HISTORY_CHARACTERS = 60_000;
/** The most earlier messages sent with a question; the route takes 200. */
export const HISTORY_MESSAGES = 40;

/**
 * The conversation to post: the latest messages that carry text, oldest first, within the
 * route's limits, then the new question. Answers still streaming (here or in another tab) and
 * empty ones (a model that failed at once) are left out; an answer longer than a message may be
 * is cut to that length, so one long answer cannot make every later question too long.
 *
 * @example
 * conversationFor(messages, "And in June?"); // [{ role: "user", content: "Where in May?" }, ..., { role: "user", content: "And in June?" }]
 */
export function conversationFor(
  messages: readonly Pick<SavedMessage, "role" | "content" | "status">[],
  prompt: string,
): { role: "user" | "assistant"; content: string }[] {
  const history: { role: "user" | "assistant"; content: string }[] = [];
  let characters = 0;
  for (let index = messages.length - 1; index >= 0 && history.length < HISTORY_MESSAGES; index--) {
    const { role, content, status } = messages[index] as (typeof messages)[number];
    if (role === "system" || status === "streaming" || content.trim() === "") continue;
    const text = content.slice(0, MAX_MESSAGE_CHARACTERS);
    characters += text.length;
    if (characters > HISTORY_CHARACTERS) break;
    history.unshift({ role, content: text });
  }
  return [...history, { role: "user", content: prompt }];
}

/**
 * The messages to show: the saved ones, with this page's answer in place of its reserved
 * `streaming` message, and the question and answer themselves until the list has them, so
 * nothing flashes or shows twice while the live list catches up.
 *
 * @example
 * messagesOnScreen(messages, turn); // [...saved, { key: "turn-question", role: "user", ... }, { key: "turn-answer", ... }]
 */
export function messagesOnScreen(messages: readonly SavedMessage[], turn: Turn | undefined): ShownMessage[] {
  const newer = turn ? messages.filter((message) => message.order > turn.afterOrder) : [];
  // By its text too: the previous question may reach the list after this one was sent.
  const question = newer.find((message) => message.role === "user" && message.content === turn?.prompt);
  // The server saves the question before it reserves the answer's place, just after it.
  const answer =
    question && newer.find((message) => message.role === "assistant" && message.order > question.order);
  // The turn's messages keep one key from the moment they are sent, so React never remounts them.
  const shown = messages.map(({ id, role, content, status }): ShownMessage => {
    if (id === question?.id) return { key: "turn-question", role, content, status };
    if (id !== answer?.id) return { key: id, role, content, status };
    // Saved with its ending: the saved text wins. Still reserved: the text this page has.
    return status === "streaming" && turn
      ? { key: "turn-answer", role, content: turn.answer, status: turn.status }
      : { key: "turn-answer", role, content, status };
  });
  if (!turn || answer || turn.isRefused) return shown;
  if (!question) shown.push({ key: "turn-question", role: "user", content: turn.prompt, status: "complete" });
  shown.push({ key: "turn-answer", role: "assistant", content: turn.answer, status: turn.status });
  return shown;
}

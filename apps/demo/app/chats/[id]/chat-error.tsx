"use client";

import { FetchError } from "@sprocket/react";
import { MAX_MESSAGE_CHARACTERS } from "@/lib/message-limits";

/**
 * What went wrong with a question, in the user's terms: the model's failure (502, 504), the rate
 * limit with when to try again (429 and its Retry-After), a message too long (413), an answer cut
 * off after it began, or no connection at all.
 *
 * @example
 * describeChatError(new FetchError(response, body), { hasAnswerBegun: false }); // "The model did not answer. ..."
 */
export function describeChatError(error: Error, { hasAnswerBegun }: { hasAnswerBegun: boolean }): string {
  if (error instanceof FetchError) {
    if (error.status === 502 || error.status === 504) return "The model did not answer. Try again.";
    if (error.status === 429) return `You have sent too many messages. ${whenToRetry(error.response)}`;
    if (error.status === 413) {
      return `Your message is too long: a message may have at most ${MAX_MESSAGE_CHARACTERS.toLocaleString("en")} characters.`;
    }
    return `The question could not be sent: ${error.message}`;
  }
  if (hasAnswerBegun) return "The answer was cut off: the connection to the model failed.";
  return "Could not reach the server. Check your connection and try again.";
}

/** Retry-After is seconds or an HTTP date (RFC 9110, section 10.2.3). */
function whenToRetry(response: Response): string {
  const value = response.headers.get("retry-after")?.trim() ?? "";
  const seconds = /^\d+$/.test(value) ? Number(value) : Math.ceil((Date.parse(value) - Date.now()) / 1000);
  if (!Number.isFinite(seconds) || seconds <= 0) return "Try again in a moment.";
  if (seconds === 1) return "Try again in 1 second.";
  if (seconds < 120) return `Try again in ${seconds} seconds.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/**
 * The error of the last question and a Retry button, which sends the question box's text: the
 * failed question is put back there, to send again as it is or after an edit.
 *
 * @example
 * <ChatError message="The model did not answer. Try again." onRetry={retry} />
 */
export function ChatError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="form-error chat-error" role="alert">
      {message}{" "}
      <button type="button" className="secondary" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

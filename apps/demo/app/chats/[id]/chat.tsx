"use client";

import { useFetch, useFindMany, useUser } from "@sprocket/react";
import { useEffect, useRef, useState } from "react";
import { api } from "@/lib/client-api";
import { ChatError, describeChatError } from "./chat-error";
import { conversationFor, type MessageStatus, messagesOnScreen, type Turn } from "./conversation";
import { MessageList } from "./message-list";
import { NewMessageForm } from "./new-message-form";
import { useFollowScroll } from "./use-follow-scroll";

/** Messages loaded at first, and added by each "Earlier messages". */
export const MESSAGES_PER_PAGE = 50;

/** A question sent from this page. */
interface Question {
  prompt: string;
  afterOrder: number;
  /** Whether the answer's headers arrived: from then on the hook's text is this answer's. */
  hasBegun: boolean;
  isStopped: boolean;
}

/**
 * The seed's Chat: the saved conversation (live), a question box, and the assistant's answer
 * rendered as it streams from POST /chat, in place of the message the server reserved for it.
 * Stop keeps what was written (saved as stopped); a failed question comes back to the box, with
 * the error and a Retry button.
 *
 * @example
 * <Chat id={chat.id} />
 */
export function Chat({ id }: { id: string }) {
  const user = useUser();
  const [count, setCount] = useState(MESSAGES_PER_PAGE);
  const [{ data: messages, error: loadError, stale }, refetch] = useFindMany(api.message, {
    filter: { chat: { equals: id } },
    sort: { order: "Ascending" },
    last: count,
    live: true,
  });
  const [{ data: answer, fetching, streaming, error }, ask] = useFetch("/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    stream: "string",
  });
  const [question, setQuestion] = useState<Question>();
  const [draft, setDraft] = useState("");
  const stopper = useRef<AbortController>(null);
  const { scrollerRef, contentRef, isFollowing, jumpToLatest } = useFollowScroll<
    HTMLDivElement,
    HTMLDivElement
  >();

  const isAnswering = fetching || streaming;
  const status: MessageStatus = isAnswering
    ? "streaming"
    : question?.isStopped
      ? "aborted"
      : error
        ? "error"
        : "complete";
  const turn: Turn | undefined = question && {
    prompt: question.prompt,
    afterOrder: question.afterOrder,
    // Until this answer's headers arrive, the hook still holds the previous answer's text.
    answer: question.hasBegun || streaming ? (answer ?? "") : "",
    status,
    isRefused: !!error && !question.hasBegun && !streaming,
  };
  const failure =
    error && question && !question.isStopped && !isAnswering
      ? describeChatError(error, { hasAnswerBegun: question.hasBegun })
      : undefined;

  // A failed question comes back to the box, unless the user has typed another one meanwhile.
  useEffect(() => {
    if (error && question && !question.isStopped) setDraft((current) => current || question.prompt);
  }, [error, question]);

  const shown = messages && messagesOnScreen(messages, turn);

  async function send(prompt: string) {
    if (!messages || !shown) return;
    const controller = new AbortController();
    stopper.current = controller;
    setQuestion({ prompt, afterOrder: messages.at(-1)?.order ?? 0, hasBegun: false, isStopped: false });
    setDraft("");
    jumpToLatest();
    try {
      // What the user sees, so an answer that ended here but is not saved yet still counts.
      const body = JSON.stringify({ chatId: id, messages: conversationFor(shown, prompt) });
      const stream = await ask({ body, signal: controller.signal });
      if (stream) setQuestion((current) => current && { ...current, hasBegun: true });
    } catch {
      // The state has the error, which is shown with a Retry button.
    }
  }

  function stop() {
    setQuestion((current) => current && { ...current, isStopped: true });
    stopper.current?.abort();
  }

  return (
    <>
      <div
        ref={scrollerRef}
        className="chat-log"
        role="log"
        aria-label="Conversation"
        // Announced politely, once the answer is whole, not token by token.
        aria-live="polite"
        aria-busy={isAnswering}
      >
        <div ref={contentRef}>
          {messages?.hasPreviousPage && (
            <button
              type="button"
              className="secondary"
              disabled={stale}
              onClick={() => setCount((current) => current + MESSAGES_PER_PAGE)}
            >
              Earlier messages
            </button>
          )}
          {shown ? (
            <MessageList messages={shown} />
          ) : loadError ? (
            <div className="form-error" role="alert">
              Could not load the messages: {loadError.message}{" "}
              <button type="button" className="secondary" onClick={() => refetch()}>
                Try again
              </button>
            </div>
          ) : (
            <p role="status">Loading messages…</p>
          )}
        </div>
      </div>
      {!isFollowing && (
        <button type="button" className="secondary jump-to-latest" onClick={jumpToLatest}>
          Jump to latest
        </button>
      )}
      {failure && question && (
        <ChatError message={failure} onRetry={() => void send(draft.trim() ? draft : question.prompt)} />
      )}
      <NewMessageForm
        value={draft}
        onChange={setDraft}
        onSend={(prompt) => void send(prompt)}
        onStop={stop}
        isAnswering={isAnswering}
        // The route answers signed-in users only, about the conversation it is sent.
        isReady={!!user && messages !== undefined}
      />
    </>
  );
}

// The widget's conversation: the visitor's latest chat and its messages (useFindMany, scoped by the
// widget token to the visitor's own rows), and the answer streaming from POST /chat (useFetch).
// The rules for what to send and show are the demo chat's own (app/chats/[id]/conversation.ts).
import { FetchError, useAction, useFetch, useFindMany } from "@sprocket/react";
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { conversationFor, messagesOnScreen, type Turn } from "@/app/chats/[id]/conversation";
import { api } from "@/lib/client-api";
import { MAX_MESSAGE_CHARACTERS } from "@/lib/message-limits";

/** Earlier messages shown when the widget opens. */
const MESSAGES_SHOWN = 50;

interface Question {
  prompt: string;
  afterOrder: number;
  hasBegun: boolean;
}

export interface WidgetChatProps {
  greeting: string;
  onClose(): void;
  /** Called with a function that moves focus to the message box. */
  onFocusRequest(focus: () => void): void;
}

/**
 * The chat inside the frame.
 *
 * @example
 * <WidgetChat greeting="Hi!" onClose={close} onFocusRequest={channel.onFocus} />
 */
export function WidgetChat({ greeting, onClose, onFocusRequest }: WidgetChatProps) {
  const box = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const [{ data: chats, error: chatsError }, refetchChats] = useFindMany(api.chat, {
    sort: { createdAt: "Descending" },
    first: 1,
    select: { id: true },
  });
  const [createdChatId, setCreatedChatId] = useState<string>();
  // The chat this page started counts at once, before the list's refetch brings it.
  const chatId = chats?.[0]?.id ?? createdChatId;
  const [{ error: createError }, createChat] = useAction(api.chat.create);
  const [{ data: messages }, refetchMessages] = useFindMany(api.message, {
    filter: { chat: { equals: chatId ?? "" } },
    sort: { order: "Ascending" },
    last: MESSAGES_SHOWN,
    pause: !chatId,
  });
  const [{ data: answer, fetching, streaming, error }, ask] = useFetch("/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    stream: "string",
  });
  const [question, setQuestion] = useState<Question>();
  const [draft, setDraft] = useState("");
  const [isStarting, setIsStarting] = useState(false);

  const isAnswering = isStarting || fetching || streaming;
  const turn: Turn | undefined = question && {
    prompt: question.prompt,
    afterOrder: question.afterOrder,
    answer: question.hasBegun || streaming ? (answer ?? "") : "",
    status: fetching || streaming ? "streaming" : error ? "error" : "complete",
    isRefused: !!error && !question.hasBegun && !streaming,
  };
  const shown = messagesOnScreen(messages ?? [], turn);
  const failure = chatsError ?? createError ?? (isAnswering ? undefined : error);

  useEffect(() => onFocusRequest(() => box.current?.focus()), [onFocusRequest]);
  // Once an answer has ended, the saved messages replace this page's copy.
  useEffect(() => {
    if (question?.hasBegun && !fetching && !streaming) void refetchMessages();
  }, [question, fetching, streaming, refetchMessages]);
  // Follow the conversation as it grows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls whenever the text on screen changes
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [shown.length, answer]);

  async function send(prompt: string) {
    setIsStarting(true);
    try {
      let id = chatId;
      if (!id) {
        const created = await createChat({});
        id = created.data?.id;
        if (!id) return;
        setCreatedChatId(id);
        void refetchChats();
      }
      setQuestion({ prompt, afterOrder: messages?.at(-1)?.order ?? 0, hasBegun: false });
      setDraft("");
      const body = JSON.stringify({ chatId: id, messages: conversationFor(shown, prompt) });
      setIsStarting(false);
      const stream = await ask({ body });
      if (stream) setQuestion((current) => current && { ...current, hasBegun: true });
    } catch {
      // The hook's state has the error, shown below the conversation.
    } finally {
      setIsStarting(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const prompt = draft.trim();
    if (prompt && !isAnswering) void send(prompt);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line, as in most chat boxes.
    if (event.key === "Enter" && !event.shiftKey) submit(event);
  }

  return (
    <main className="widget">
      <header className="widget-header">
        <h1>Chat</h1>
        <button type="button" className="close" aria-label="Close chat" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div
        ref={log}
        className="log"
        role="log"
        aria-label="Conversation"
        aria-live="polite"
        aria-busy={isAnswering}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
        tabIndex={0}
      >
        {greeting && <p className="message assistant">{greeting}</p>}
        {shown.map((message) => (
          <p key={message.key} className={`message ${message.role}`} data-status={message.status}>
            {message.content || (message.status === "streaming" ? "…" : "")}
          </p>
        ))}
      </div>
      {failure && (
        <p className="error" role="alert">
          {describe(failure)}
        </p>
      )}
      <form className="composer" onSubmit={submit}>
        <label htmlFor="widget-message" className="visually-hidden">
          Your message
        </label>
        <textarea
          id="widget-message"
          ref={box}
          rows={2}
          value={draft}
          maxLength={MAX_MESSAGE_CHARACTERS}
          placeholder="Write a message…"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" disabled={isAnswering || !draft.trim()}>
          Send
        </button>
      </form>
    </main>
  );
}

function describe(error: Error): string {
  if (error instanceof FetchError && error.status === 429) {
    return "You are sending messages too quickly. Please wait a moment.";
  }
  return "The chat is not available right now. Please try again later.";
}

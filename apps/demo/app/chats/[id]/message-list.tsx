"use client";

import { Markdown } from "@/app/components/markdown";
import type { MessageStatus, ShownMessage } from "./conversation";

const ROLE_NAMES = { user: "You", assistant: "Assistant", system: "System" } as const;

/** The badge each unfinished ending shows; a complete message shows none. */
const STATUS_BADGES: Partial<Record<MessageStatus, string>> = {
  streaming: "Writing…",
  aborted: "Stopped",
  error: "Error",
};

/**
 * A chat's messages in order: the user's as they typed them, the assistant's as Markdown, with a
 * badge on answers still being written, stopped, or cut off by an error.
 *
 * @example
 * <MessageList messages={messagesOnScreen(messages, turn)} />
 */
export function MessageList({ messages }: { messages: readonly ShownMessage[] }) {
  if (messages.length === 0) return <p className="empty">No messages yet.</p>;
  return (
    <ol className="messages" aria-label="Messages">
      {messages.map((message) => (
        <MessageItem key={message.key} message={message} />
      ))}
    </ol>
  );
}

function MessageItem({ message: { role, content, status } }: { message: ShownMessage }) {
  const badge = STATUS_BADGES[status];
  return (
    <li className={`message message-${role}`} data-status={status}>
      <span className="message-role">{ROLE_NAMES[role]}</span>
      {badge && <span className={`badge badge-${status}`}>{badge}</span>}
      {role !== "assistant" ? (
        <p className="message-content">{content}</p>
      ) : content ? (
        <Markdown isStreaming={status === "streaming"}>{content}</Markdown>
      ) : (
        <p className="message-content muted">{status === "streaming" ? "Thinking…" : "No answer."}</p>
      )}
    </li>
  );
}

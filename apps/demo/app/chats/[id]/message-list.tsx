"use client";

import { useFindMany } from "@sprocket/react";
import { useState } from "react";
import { api } from "@/lib/client-api";
import { type Page, pageOf } from "@/lib/paging";

/** Messages per page. The latest page shows first, oldest message on top, as chats read. */
export const MESSAGES_PER_PAGE = 50;

const ROLE_NAMES = { user: "You", assistant: "Assistant", system: "System" } as const;

/**
 * A chat's messages in order, the latest page first; live, so messages added elsewhere appear.
 *
 * @example
 * <MessageList chatId={chat.id} />
 */
export function MessageList({ chatId }: { chatId: string }) {
  // `last`: the newest messages, still in ascending order.
  const [page, setPage] = useState<Page>({ last: MESSAGES_PER_PAGE });
  const [{ data: messages, error, stale }, refetch] = useFindMany(api.message, {
    filter: { chat: { equals: chatId } },
    sort: { order: "Ascending" },
    ...page,
    live: true,
  });

  if (messages === undefined) {
    return error ? (
      <div className="form-error" role="alert">
        Could not load the messages: {error.message}{" "}
        <button type="button" className="secondary" onClick={() => refetch()}>
          Try again
        </button>
      </div>
    ) : (
      <p role="status">Loading messages…</p>
    );
  }
  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          Could not refresh the messages: {error.message}
        </p>
      )}
      {messages.hasPreviousPage && (
        <button
          type="button"
          className="secondary"
          disabled={stale}
          onClick={() => setPage(pageOf(messages.previousPage()))}
        >
          Earlier messages
        </button>
      )}
      {messages.length === 0 ? (
        <p className="empty">No messages yet.</p>
      ) : (
        <ol className="messages" aria-label="Messages" aria-busy={stale}>
          {messages.map((message) => (
            <li key={message.id} className={`message message-${message.role}`}>
              <span className="message-role">{ROLE_NAMES[message.role]}</span>
              <p className="message-content">{message.content}</p>
            </li>
          ))}
        </ol>
      )}
      {messages.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={stale}
          onClick={() => setPage({ last: MESSAGES_PER_PAGE })}
        >
          Latest messages
        </button>
      )}
    </>
  );
}

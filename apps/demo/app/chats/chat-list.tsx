"use client";

import { useFindMany } from "@sprocket/react";
import { useState } from "react";
import { api } from "@/lib/client-api";
import { type Page, pageOf } from "@/lib/paging";
import { ChatListItem } from "./chat-list-item";
import { NewChatForm } from "./new-chat-form";

/** Chats per page. */
export const CHATS_PER_PAGE = 20;

/**
 * The signed-in user's chats, most recently updated first, a page at a time. Live: a chat created,
 * renamed or deleted anywhere (another tab, another device) shows up without a reload.
 *
 * @example
 * <SignedInOrRedirect path="/sign-in"><ChatList /></SignedInOrRedirect>
 */
export function ChatList() {
  const [page, setPage] = useState<Page>({ first: CHATS_PER_PAGE });
  const [{ data: chats, error, stale }, refetch] = useFindMany(api.chat, {
    sort: { updatedAt: "Descending" },
    ...page,
    live: true,
  });
  const isFirstPage = !chats?.hasPreviousPage;

  return (
    <>
      {/* A new chat is the newest: go back to the first page to see it. */}
      <NewChatForm onCreated={() => setPage({ first: CHATS_PER_PAGE })} />
      {error && (
        <div className="form-error" role="alert">
          Could not load your chats: {error.message}{" "}
          <button type="button" className="secondary" onClick={() => refetch()}>
            Try again
          </button>
        </div>
      )}
      {chats === undefined ? (
        !error && <p role="status">Loading chats…</p>
      ) : chats.length === 0 ? (
        <p className="empty">{isFirstPage ? "No chats yet. Create one above." : "No more chats here."}</p>
      ) : (
        <ul className="chat-list" aria-label="Chats" aria-busy={stale}>
          {chats.map((chat) => (
            <ChatListItem key={chat.id} chat={chat} />
          ))}
        </ul>
      )}
      {chats && (chats.hasPreviousPage || chats.hasNextPage) && (
        <nav className="pager" aria-label="Pages of chats">
          <button
            type="button"
            className="secondary"
            disabled={!chats.hasPreviousPage || stale}
            onClick={() => setPage(pageOf(chats.previousPage()))}
          >
            Newer chats
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!chats.hasNextPage || stale}
            onClick={() => setPage(pageOf(chats.nextPage()))}
          >
            Older chats
          </button>
        </nav>
      )}
    </>
  );
}

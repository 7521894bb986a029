"use client";

import { useMaybeFindOne } from "@sprocket/react";
import Link from "next/link";
import { api } from "@/lib/client-api";
import { MessageList } from "./message-list";
import { NewMessageForm } from "./new-message-form";

/**
 * One chat: its title, its messages and a form to add one. A chat that does not exist, or belongs
 * to someone else (the server answers both the same way), is "Chat not found". Live, so a rename
 * or a delete elsewhere shows at once.
 *
 * @example
 * <ChatView id={id} />
 */
export function ChatView({ id }: { id: string }) {
  const [{ data: chat, error }, refetch] = useMaybeFindOne(api.chat, id, { live: true });

  if (chat === null) {
    return (
      <section className="chat">
        <h1>Chat not found</h1>
        <p>It may have been deleted, or it belongs to another account.</p>
        <BackToChats />
      </section>
    );
  }
  return (
    <section className="chat">
      <BackToChats />
      {chat === undefined ? (
        error ? (
          <div className="form-error" role="alert">
            Could not load the chat: {error.message}{" "}
            <button type="button" className="secondary" onClick={() => refetch()}>
              Try again
            </button>
          </div>
        ) : (
          <p role="status">Loading chat…</p>
        )
      ) : (
        <>
          <h1>{chat.title}</h1>
          <MessageList chatId={chat.id} />
          <NewMessageForm chatId={chat.id} />
        </>
      )}
    </section>
  );
}

function BackToChats() {
  return (
    <p>
      <Link href="/chats" className="back-link">
        ← All chats
      </Link>
    </p>
  );
}

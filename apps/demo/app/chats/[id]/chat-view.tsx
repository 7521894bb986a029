"use client";

import { useMaybeFindOne } from "@sprocket/react";
import Link from "next/link";
import { api } from "@/lib/client-api";
import { Chat } from "./chat";
import { NewChatButton } from "./new-chat-button";

/**
 * One chat: its title, the way to the other chats and to a new one, and the conversation. A chat
 * that does not exist, or belongs to someone else (the server answers both the same way), is
 * "Chat not found". Live, so a rename or a delete elsewhere shows at once.
 *
 * @example
 * <ChatView id={id} isOffline={config().model.isOffline} />
 */
export function ChatView({ id, isOffline }: { id: string; isOffline: boolean }) {
  const [{ data: chat, error }, refetch] = useMaybeFindOne(api.chat, id, { live: true });

  if (chat === null) {
    return (
      <section className="chat">
        <h1>Chat not found</h1>
        <p>It may have been deleted, or it belongs to another account.</p>
        <ChatNavigation />
      </section>
    );
  }
  return (
    <section className="chat">
      <ChatNavigation />
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
          {isOffline && <p className="notice">Answers come from the offline demo model.</p>}
          {/* Keyed, so another chat starts with its own conversation and question box. */}
          <Chat key={chat.id} id={chat.id} />
        </>
      )}
    </section>
  );
}

function ChatNavigation() {
  return (
    <nav className="chat-navigation" aria-label="Chats">
      <Link href="/chats" className="back-link">
        ← All chats
      </Link>
      <NewChatButton />
    </nav>
  );
}

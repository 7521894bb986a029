"use client";

import { useAction } from "@sprocket/react";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { api, type Schema } from "@/lib/client-api";

const UPDATED_AT = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * One chat of the list: a link to it, when it last changed, and buttons to rename and delete it.
 * Button names carry the chat's title, so a screen reader's list of buttons tells them apart.
 *
 * @example
 * <ul>{chats.map((chat) => <ChatListItem key={chat.id} chat={chat} />)}</ul>
 */
export function ChatListItem({ chat }: { chat: Schema["chat"]["record"] }) {
  const [update, updateChat] = useAction(api.chat.update);
  const [remove, deleteChat] = useAction(api.chat.delete);
  const [isRenaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(chat.title);

  async function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    const result = await updateChat(chat.id, { title: trimmed });
    if (!result.error) setRenaming(false);
  }

  const error = update.error ?? remove.error;
  return (
    <li className="chat-item">
      {isRenaming ? (
        <form className="inline-form" onSubmit={rename}>
          <label>
            <span>
              New title<span className="visually-hidden"> for {chat.title}</span>
            </span>
            <input
              type="text"
              value={title}
              maxLength={200}
              required
              // biome-ignore lint/a11y/noAutofocus: the field the Rename button was pressed for
              autoFocus
              onChange={(event) => setTitle(event.target.value)}
            />
          </label>
          <button type="submit" disabled={update.fetching}>
            Save
          </button>
          <button type="button" className="secondary" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <Link href={`/chats/${chat.id}`} className="chat-title">
            {chat.title}
          </Link>
          <time className="muted" dateTime={chat.updatedAt}>
            {UPDATED_AT.format(new Date(chat.updatedAt))}
          </time>
          <span className="chat-actions">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setTitle(chat.title);
                setRenaming(true);
              }}
            >
              Rename<span className="visually-hidden"> {chat.title}</span>
            </button>
            <button
              type="button"
              className="secondary danger"
              disabled={remove.fetching}
              onClick={() => deleteChat(chat.id)}
            >
              Delete<span className="visually-hidden"> {chat.title}</span>
            </button>
          </span>
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
    </li>
  );
}

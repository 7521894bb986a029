"use client";

import { useAction } from "@sprocket/react";
import { type FormEvent, useState } from "react";
import { api } from "@/lib/client-api";

/**
 * Creates a chat for the signed-in user (the server makes them its owner). A blank title leaves
 * the database's default, "New chat".
 *
 * @example
 * <NewChatForm onCreated={() => setPage({ first: 20 })} />
 */
export function NewChatForm({ onCreated }: { onCreated?: () => void }) {
  const [{ fetching, error }, createChat] = useAction(api.chat.create);
  const [title, setTitle] = useState("");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = title.trim();
    const result = await createChat(trimmed ? { title: trimmed } : {});
    if (result.error) return;
    setTitle("");
    onCreated?.();
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="New chat">
      <label>
        <span>
          Title <span className="optional">(optional)</span>
        </span>
        <input
          name="title"
          type="text"
          value={title}
          maxLength={200}
          placeholder="New chat"
          onChange={(event) => setTitle(event.target.value)}
        />
      </label>
      <button type="submit" disabled={fetching}>
        {fetching ? "Creating…" : "Create chat"}
      </button>
      {error && (
        <p className="form-error" role="alert">
          Could not create the chat: {error.message}
        </p>
      )}
    </form>
  );
}

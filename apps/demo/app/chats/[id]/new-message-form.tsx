"use client";

import { useAction, useMaybeFindFirst } from "@sprocket/react";
import { type FormEvent, useState } from "react";
import { api } from "@/lib/client-api";

/**
 * Adds a message from the user to the end of a chat. It is saved as it is: answers come from the
 * assistant's stream, not from this form.
 *
 * @example
 * <NewMessageForm chatId={chat.id} />
 */
export function NewMessageForm({ chatId }: { chatId: string }) {
  // The last message's order, whichever page of messages is on screen; live, so a message added
  // in another tab moves it on.
  const [{ data: last, error: lastError }] = useMaybeFindFirst(api.message, {
    filter: { chat: { equals: chatId } },
    sort: { order: "Descending" },
    select: { order: true },
    live: true,
  });
  const [{ fetching, error }, createMessage] = useAction(api.message.create);
  const [content, setContent] = useState("");
  const isOrderKnown = last !== undefined;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!content.trim() || last === undefined) return;
    const result = await createMessage({
      order: (last?.order ?? 0) + 1,
      role: "user",
      content,
      chat: { _link: chatId },
    });
    if (!result.error) setContent("");
  }

  return (
    <form className="message-form" onSubmit={submit} aria-label="New message">
      <label>
        Message
        <textarea
          name="content"
          rows={3}
          required
          value={content}
          onChange={(event) => setContent(event.target.value)}
        />
      </label>
      <button type="submit" disabled={fetching || !isOrderKnown}>
        {fetching ? "Sending…" : "Send"}
      </button>
      {(error ?? lastError) && (
        <p className="form-error" role="alert">
          Could not send the message: {(error ?? lastError)?.message}
        </p>
      )}
    </form>
  );
}

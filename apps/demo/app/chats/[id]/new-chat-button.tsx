"use client";

import { useAction } from "@sprocket/react";
import { useRouter } from "next/navigation";
import { api } from "@/lib/client-api";

/**
 * Starts a chat and opens it. Its title stays "New chat" until the first question names it.
 *
 * @example
 * <NewChatButton />
 */
export function NewChatButton() {
  const router = useRouter();
  const [{ fetching, error }, createChat] = useAction(api.chat.create);

  async function start() {
    const result = await createChat({});
    if (result.data) router.push(`/chats/${result.data.id}`);
  }

  return (
    <>
      <button type="button" className="secondary" disabled={fetching} onClick={start}>
        New chat
      </button>
      {error && (
        <p className="form-error" role="alert">
          Could not create a chat: {error.message}
        </p>
      )}
    </>
  );
}

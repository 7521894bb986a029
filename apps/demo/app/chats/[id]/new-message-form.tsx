"use client";

import type { FormEvent, KeyboardEvent } from "react";

/**
 * The question box: Enter sends, Shift+Enter starts a new line. While an answer is on its way the
 * Send button gives way to Stop.
 *
 * @example
 * <NewMessageForm value={draft} onChange={setDraft} onSend={send} onStop={stop} isAnswering={busy} />
 */
export function NewMessageForm({
  value,
  onChange,
  onSend,
  onStop,
  isAnswering,
  isReady = true,
}: {
  value: string;
  onChange: (value: string) => void;
  onSend: (prompt: string) => void;
  onStop: () => void;
  /** Whether an answer is being asked for or streamed. */
  isAnswering: boolean;
  /** Whether the conversation is loaded, so a question can be sent with it. */
  isReady?: boolean;
}) {
  const canSend = isReady && !isAnswering && value.trim() !== "";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (canSend) onSend(value);
  }

  function sendOnEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Not while an input method composes a character: its Enter confirms the character.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }

  return (
    <form className="message-form" onSubmit={submit} aria-label="New message">
      <label>
        Message
        <textarea
          name="content"
          rows={3}
          value={value}
          aria-describedby="message-hint"
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={sendOnEnter}
        />
      </label>
      {isAnswering ? (
        <button type="button" className="danger secondary" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" disabled={!canSend}>
          Send
        </button>
      )}
      <p id="message-hint" className="hint muted">
        Enter sends, Shift+Enter adds a line.
      </p>
    </form>
  );
}

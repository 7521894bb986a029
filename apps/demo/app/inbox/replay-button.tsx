"use client";
// The inbox's Replay button: POSTs to the replay route, says the outcome, and refreshes the table
// so the row shows the delivery's new status and attempts.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

type Outcome = "processed" | "failed" | "dead";

const OUTCOME_TEXT: Record<Outcome, string> = {
  processed: "Replayed: processed",
  failed: "Replayed: failed, will retry",
  dead: "Replayed: failed for the last time",
};

export function ReplayButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<string>();
  const [isSending, setSending] = useState(false);
  const [isRefreshing, startRefresh] = useTransition();

  async function replay() {
    setSending(true);
    setMessage(undefined);
    try {
      const response = await fetch(`/api/inbox/${encodeURIComponent(id)}/replay`, {
        method: "POST",
        headers: { accept: "application/json" },
      });
      const body = (await response.json().catch(() => undefined)) as
        | { outcome?: Outcome; error?: { message?: string } }
        | undefined;
      if (response.ok && body?.outcome) setMessage(OUTCOME_TEXT[body.outcome]);
      else setMessage(`Replay refused: ${body?.error?.message ?? `HTTP ${response.status}`}`);
    } catch {
      setMessage("Replay failed: the server could not be reached");
    } finally {
      setSending(false);
    }
    startRefresh(() => router.refresh());
  }

  return (
    <div className="replay">
      <button
        type="button"
        className="secondary"
        disabled={isSending}
        aria-label={`Replay ${label}`}
        onClick={replay}
      >
        {isSending ? "Replaying…" : "Replay"}
      </button>
      <span role="status" className="replay-outcome" aria-busy={isRefreshing}>
        {message}
      </span>
    </div>
  );
}

import type { StoredWebhookEvent, WebhookInboxStore } from "../webhook-inbox-store.js";

/** A one-process inbox for unit tests; the PostgreSQL store lives in the demo. */
export function memoryInboxStore(): WebhookInboxStore & {
  rows: Map<string, StoredWebhookEvent & { lockedUntil: Date | null }>;
} {
  const rows = new Map<string, StoredWebhookEvent & { lockedUntil: Date | null }>();
  const isDue = (row: StoredWebhookEvent & { lockedUntil: Date | null }, now: Date) =>
    ((row.status === "pending" || row.status === "failed") && row.nextAttemptAt <= now) ||
    (row.status === "processing" && row.lockedUntil !== null && row.lockedUntil <= now);
  const take = (row: StoredWebhookEvent & { lockedUntil: Date | null }, lockedUntil: Date) => {
    Object.assign(row, { status: "processing", attempts: row.attempts + 1, lockedUntil });
    return { ...row };
  };
  /** The row while the claim that locked it until `lockedUntil` still holds it. */
  const heldBy = (id: string, lockedUntil: Date) => {
    const row = rows.get(id);
    return row?.status === "processing" && row.lockedUntil?.getTime() === lockedUntil.getTime()
      ? row
      : undefined;
  };
  return {
    rows,
    async insert(event) {
      for (const row of rows.values()) {
        if (row.provider === event.provider && row.deliveryId === event.deliveryId)
          return { isDuplicate: true };
      }
      const id = crypto.randomUUID();
      rows.set(id, {
        ...event,
        id,
        shop: event.shop ?? null,
        status: event.processedAt ? "processed" : "pending",
        attempts: 0,
        lastError: null,
        nextAttemptAt: event.receivedAt,
        processedAt: event.processedAt ?? null,
        lockedUntil: null,
      });
      return { id, isDuplicate: false, status: event.processedAt ? "processed" : "pending" };
    },
    async claim(id, { now, lockedUntil }) {
      const row = rows.get(id);
      return row && isDue(row, now) ? take(row, lockedUntil) : undefined;
    },
    async claimDue({ now, lockedUntil, limit }) {
      return [...rows.values()]
        .filter((row) => isDue(row, now))
        .slice(0, limit)
        .map((row) => take(row, lockedUntil));
    },
    async complete(id, { now, lockedUntil }) {
      const row = heldBy(id, lockedUntil);
      if (row) Object.assign(row, { status: "processed", processedAt: now, lockedUntil: null });
      return row !== undefined;
    },
    async fail(id, { now, lockedUntil, error, nextAttemptAt }) {
      const row = heldBy(id, lockedUntil);
      if (row) {
        Object.assign(
          row,
          nextAttemptAt
            ? { status: "failed", lastError: error, nextAttemptAt, lockedUntil: null }
            : { status: "dead", lastError: error, processedAt: now, lockedUntil: null },
        );
      }
      return row !== undefined;
    },
    async requeue(id, { now }) {
      const row = rows.get(id);
      if (!row) return "not-found";
      if (row.status === "processing" && row.lockedUntil !== null && row.lockedUntil > now) return "busy";
      Object.assign(row, {
        status: "pending",
        attempts: 0,
        nextAttemptAt: now,
        lockedUntil: null,
        processedAt: null,
      });
      return "requeued";
    },
    async deleteReceivedBefore(before) {
      let deleted = 0;
      for (const [id, row] of rows) {
        if (row.receivedAt < before && (row.status === "processed" || row.status === "dead")) {
          rows.delete(id);
          deleted++;
        }
      }
      return deleted;
    },
  };
}

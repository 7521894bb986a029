// The webhook inbox, for the app's operators (ADMIN_EMAILS): the newest deliveries of every
// provider with their processing state, 50 a page, and a Replay button on each. Payloads stay out
// of the page: they may hold customers' data. Anyone who is not an operator gets the not-found
// page, so the page does not reveal that it exists; a visitor who is not signed in is sent to sign in.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db";
import { isOperator, pageIdentity } from "@/lib/operators";
import { REDIRECT_TO_PARAM } from "@/lib/safe-redirect";
import { ReplayButton } from "./replay-button";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Webhook inbox · Sprocket demo", robots: { index: false } };

/** Deliveries per page. */
const PAGE_SIZE = 50;
/** Characters of a last error shown in the table; the whole text is in the cell's title. */
const ERROR_PREVIEW_LENGTH = 140;

export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<{ page?: string | string[] }>;
}) {
  const identity = await pageIdentity();
  if (identity.role === "unauthenticated") redirect(`/sign-in?${REDIRECT_TO_PARAM}=%2Finbox`);
  if (!(await isOperator(identity))) notFound();

  const requested = Number((await searchParams).page ?? "1");
  const page = Number.isInteger(requested) && requested >= 1 ? requested : 1;
  const rows = await db().webhookEvent.findMany({
    // Everything but the payload.
    select: {
      id: true,
      provider: true,
      deliveryId: true,
      topic: true,
      shop: true,
      status: true,
      attempts: true,
      lastError: true,
      receivedAt: true,
      processedAt: true,
    },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE + 1,
  });
  const deliveries = rows.slice(0, PAGE_SIZE);
  const hasNextPage = rows.length > PAGE_SIZE;

  return (
    <section className="inbox">
      <h1>Webhook inbox</h1>
      <p className="muted">
        Deliveries as stored, newest first. Replay runs a delivery's handler again now, with a fresh count of
        attempts.
      </p>
      {deliveries.length === 0 ? (
        <p className="empty">{page === 1 ? "No deliveries yet." : "No deliveries on this page."}</p>
      ) : (
        <div className="inbox-table-wrapper">
          <table className="inbox-table" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Topic</th>
                <th scope="col">Shop</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Received</th>
                {/* When the last run ended: processed, or dead after the last attempt. */}
                <th scope="col">Finished</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id} data-testid="delivery" data-id={delivery.id}>
                  <td>{delivery.provider}</td>
                  <td>
                    {delivery.topic}
                    {/* The provider's own id, to find the delivery in its dashboard. */}
                    <div className="muted inbox-delivery-id">{delivery.deliveryId}</div>
                  </td>
                  <td>{delivery.shop ?? <span className="muted">—</span>}</td>
                  <td>
                    <span className={`badge badge-${delivery.status}`}>{delivery.status}</span>
                  </td>
                  <td>{delivery.attempts}</td>
                  <td className="inbox-error" title={delivery.lastError ?? undefined}>
                    {delivery.lastError ? truncate(delivery.lastError) : <span className="muted">—</span>}
                  </td>
                  <td>
                    <Time value={delivery.receivedAt} />
                  </td>
                  <td>
                    {delivery.processedAt ? (
                      <Time value={delivery.processedAt} />
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <ReplayButton id={delivery.id} label={`${delivery.provider} ${delivery.topic}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(page > 1 || hasNextPage) && (
        <nav className="pager" aria-label="Pages of deliveries">
          {page > 1 ? <Link href={`/inbox?page=${page - 1}`}>Newer deliveries</Link> : <span />}
          {hasNextPage ? <Link href={`/inbox?page=${page + 1}`}>Older deliveries</Link> : <span />}
        </nav>
      )}
    </section>
  );
}

function truncate(text: string): string {
  return text.length > ERROR_PREVIEW_LENGTH ? `${text.slice(0, ERROR_PREVIEW_LENGTH)}…` : text;
}

/** A UTC timestamp, the same on the server and in every browser. */
function Time({ value }: { value: Date }) {
  const iso = value.toISOString();
  return <time dateTime={iso}>{`${iso.slice(0, 19).replace("T", " ")} UTC`}</time>;
}

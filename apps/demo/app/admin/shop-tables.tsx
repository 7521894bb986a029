"use client";
import { useAppBridge } from "@shopify/app-bridge-react";
// Inside the Shopify admin's iframe, cookies do not reach the app: `appBridge()` gives every
// request of the hooks below App Bridge's session token instead, and the server limits the rows
// to the token's shop. The same hooks work unchanged on a cookie-signed-in page without `auth`.
// Live reads open their change stream through fetch, with the token (an EventSource sends none).
import { appBridge, SprocketProvider, useFindMany } from "@sprocket/react";
import { type ReactNode, useMemo } from "react";
import { api } from "@/lib/client-api";

/** Rows per table. */
const PAGE_SIZE = 25;

export function ShopTables() {
  // App Bridge's `shopify` global (its script is in layout.tsx); on the server, a stand-in that
  // throws when used, and the hooks send nothing while rendering on the server.
  const shopify = useAppBridge();
  const auth = useMemo(() => appBridge({ shopify }), [shopify]);
  return (
    <SprocketProvider auth={auth}>
      <WebhookDeliveries />
      <Chats />
    </SprocketProvider>
  );
}

function WebhookDeliveries() {
  const [{ data, error }] = useFindMany(api.webhookEvent, {
    // Everything but the payload, which may hold customers' data.
    select: { id: true, topic: true, deliveryId: true, status: true, receivedAt: true },
    sort: { receivedAt: "Descending" },
    first: PAGE_SIZE,
    live: true,
  });
  return (
    <>
      <h2 id="deliveries-heading">Webhook deliveries</h2>
      <Rows label="deliveries" isLoading={!data} error={error?.message} isEmpty={data?.length === 0}>
        <table className="inbox-table" aria-labelledby="deliveries-heading">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Delivery</th>
              <th scope="col">Status</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {data?.map((delivery) => (
              <tr key={delivery.id}>
                <td>{delivery.topic}</td>
                <td>{delivery.deliveryId}</td>
                <td>{delivery.status}</td>
                <td>
                  <Time value={delivery.receivedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Rows>
    </>
  );
}

function Chats() {
  const [{ data, error }] = useFindMany(api.chat, {
    select: { id: true, title: true, createdAt: true },
    sort: { createdAt: "Descending" },
    first: PAGE_SIZE,
    live: true,
  });
  return (
    <>
      <h2 id="chats-heading">Chats</h2>
      <Rows label="chats" isLoading={!data} error={error?.message} isEmpty={data?.length === 0}>
        <table className="inbox-table" aria-labelledby="chats-heading">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {data?.map((chat) => (
              <tr key={chat.id}>
                <td>{chat.title}</td>
                <td>
                  <Time value={chat.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Rows>
    </>
  );
}

/** The table once rows arrived; a status line while loading, when empty, or on an error. */
function Rows({
  label,
  isLoading,
  isEmpty,
  error,
  children,
}: {
  label: string;
  isLoading: boolean;
  isEmpty: boolean;
  error: string | undefined;
  children: ReactNode;
}) {
  if (error)
    return (
      <p role="alert">
        Could not load the {label}: {error}
      </p>
    );
  if (isLoading) return <p role="status">Loading the {label}…</p>;
  if (isEmpty) return <p className="empty">No {label} yet.</p>;
  return <div className="inbox-table-wrapper">{children}</div>;
}

/** A UTC timestamp, the same in every browser. */
function Time({ value }: { value: string }) {
  return <time dateTime={value}>{`${value.slice(0, 19).replace("T", " ")} UTC`}</time>;
}

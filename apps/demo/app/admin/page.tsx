// The demo's page in the Shopify admin: the shop's webhook deliveries and chats, read in the
// browser with the Sprocket hooks and App Bridge's session token (see shop-tables.tsx).
import type { Metadata } from "next";
import { ShopTables } from "./shop-tables";

export const metadata: Metadata = { title: "Shop admin · Sprocket demo" };

export default function AdminPage() {
  return (
    <section className="admin">
      <h1>Shop admin</h1>
      <p className="muted">This shop's webhook deliveries and storefront chats, newest first.</p>
      <ShopTables />
    </section>
  );
}

// The embedded admin pages: served inside the Shopify admin's iframe, where App Bridge gives the
// page session tokens instead of cookies. App Bridge's script must come before the app's code and
// load synchronously (not async or deferred): it defines the `shopify` global the page reads.
// proxy.ts sets the frame-ancestors policy of these pages.
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { config } from "@/lib/config";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { robots: { index: false } };

/** Shopify's App Bridge, served only from its CDN. */
const APP_BRIDGE_SCRIPT_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export default function AdminLayout({ children }: { children: ReactNode }) {
  const shopify = config().shopify;
  if (!shopify) {
    return (
      <section className="admin">
        <h1>Shop admin</h1>
        <p>The Shopify app is not configured: set SHOPIFY_API_KEY and SHOPIFY_API_SECRET.</p>
      </section>
    );
  }
  return (
    <>
      {/* React hoists this into <head>; App Bridge reads the app's client id from it. */}
      <meta name="shopify-api-key" content={shopify.apiKey} />
      <script src={APP_BRIDGE_SCRIPT_URL} />
      {children}
    </>
  );
}

import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { UserMenu } from "./user-menu";

export const metadata: Metadata = {
  title: "Sprocket demo",
  description: "Signed Shopify traffic in, streamed AI answers out: a Next.js app built on Sprocket.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a href="/" className="brand">
            Sprocket
          </a>
          <span className="tagline">demo</span>
          <UserMenu />
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

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
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

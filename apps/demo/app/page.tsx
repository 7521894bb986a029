import Link from "next/link";
import { databaseStatus } from "@/lib/database-status";

export const dynamic = "force-dynamic";

const capabilities = [
  { name: "Route context", detail: "Gadget-style handlers as Web-standard Next.js routes" },
  { name: "Webhooks", detail: "Shopify, GitHub, Stripe and Standard Webhooks into a durable inbox" },
  { name: "App proxy", detail: "Signed storefront requests with shop and customer context" },
  { name: "Streaming chat", detail: "OpenAI answers streamed to React as they are written" },
];

export default async function HomePage() {
  const database = await databaseStatus();
  return (
    <section className="home">
      <h1>Sprocket</h1>
      <p className="lead">
        The toolkit for Next.js apps that take signed traffic from Shopify and other services and stream AI
        answers to React users.
      </p>
      <p>
        <Link href="/chats" className="call-to-action">
          Open your chats
        </Link>
      </p>
      <ul className="capabilities">
        {capabilities.map((capability) => (
          <li key={capability.name}>
            <strong>{capability.name}</strong>
            <span>{capability.detail}</span>
          </li>
        ))}
      </ul>
      <p className="status" data-testid="database-status">
        Database: {database.status === "up" ? `connected (${database.latencyMs} ms)` : "unreachable"}
      </p>
    </section>
  );
}

import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { route } from "@sprocket/server";
import { pino } from "pino";
import { expect, it } from "vitest";

const logger = pino({ level: "silent" });

it("forwards a fetched, gzip-encoded response without its stale encoding and length", async () => {
  const text = "hello from upstream";
  const upstream = createServer((_, response) => {
    response.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain" });
    response.end(gzipSync(text));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.address() as { port: number };
  try {
    const handler = route(async ({ reply }) => reply.send(await fetch(`http://127.0.0.1:${port}/`)), {
      logger,
    });
    const response = await handler(new Request("https://app.test/"));
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(await response.text()).toBe(text);
  } finally {
    upstream.close();
  }
});

it.each([300, 304, 305, 306, 200])("refuses to redirect with status %i", async (status) => {
  const handler = route(async ({ reply }) => reply.redirect("/next", status), { logger });
  expect((await handler(new Request("https://app.test/"))).status).toBe(500);
});

it("percent-encodes a non-ASCII redirect location", async () => {
  const handler = route(async ({ reply }) => reply.redirect("/日本?q=ü", 303), { logger });
  const response = await handler(new Request("https://app.test/"));
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/%E6%97%A5%E6%9C%AC?q=%C3%BC");
});

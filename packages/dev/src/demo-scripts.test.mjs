// The pieces `npm run demo` (scripts/demo.mjs) adds around the app: its stored secrets and the page
// of another origin that embeds the chat widget.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoSecret } from "../../../scripts/lib/demo-secrets.mjs";
import { startWidgetHostPage } from "../../../scripts/lib/widget-host-page.mjs";

const cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

describe("demoSecret", () => {
  it("makes a secret on first use, keeps it owner-readable, and gives the same one next time", () => {
    const dir = mkdtempSync(join(tmpdir(), "sprocket-demo-secret-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataDir = join(dir, "pglite");
    const name = "SPROCKET_TEST_UNSET_SECRET";
    const first = demoSecret({ name, file: "widget-secret", dataDir });
    expect(first.source).toBe(join(dir, "widget-secret"));
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.source).mode & 0o777).toBe(0o600);
    expect(demoSecret({ name, file: "widget-secret", dataDir })).toEqual(first);
    // Another file is another secret.
    expect(demoSecret({ name, file: "auth-secret", dataDir }).secret).not.toBe(first.secret);
    expect(readFileSync(first.source, "utf8").trim()).toBe(first.secret);
  });

  it("prefers the environment, and then writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "sprocket-demo-secret-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    process.env.SPROCKET_TEST_SET_SECRET = "from-the-environment-0123456789abcdef";
    cleanups.push(() => delete process.env.SPROCKET_TEST_SET_SECRET);
    const found = demoSecret({
      name: "SPROCKET_TEST_SET_SECRET",
      file: "x-secret",
      dataDir: join(dir, "pglite"),
    });
    expect(found).toEqual({ secret: "from-the-environment-0123456789abcdef", source: "environment" });
    expect(() => statSync(join(dir, "x-secret"))).toThrow();
  });
});

describe("the widget's host page", () => {
  it("serves one page embedding the app's widget.js, and nothing else", async () => {
    const port = await freePort();
    const server = await startWidgetHostPage({ host: "127.0.0.1", port, appOrigin: "http://localhost:4123" });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('<script src="http://localhost:4123/widget.js"');
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/`, { method: "POST" })).status).toBe(405);
  });

  it("resolves nothing, rather than failing the demo, when its port is taken", async () => {
    const port = await freePort();
    const taken = createServer();
    await new Promise((resolve) => taken.listen(port, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    expect(
      await startWidgetHostPage({ host: "127.0.0.1", port, appOrigin: "http://localhost:4123" }),
    ).toBeUndefined();
  });
});

// The chat widget on someone else's page: a small server on a second origin serves a host page with
// the one script tag. On the allowed origin the launcher opens the framed chat, which streams an
// answer with the widget token; on an origin the demo does not allow, no token is issued and the
// frame is refused. Also: keyboard use, a 360-px phone screen, axe, and the loader's size budget.
import { createServer, type Server } from "node:http";
import { gzipSync } from "node:zlib";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { allowedHostOrigin, refusedHostOrigin, widgetHostPort } from "./widget-settings";

const GREETING = "Hi! Ask me anything about the shop.";

// One host server for the file: its tests share it, so they run in one worker.
test.describe.configure({ mode: "serial" });

let hostServer: Server;

test.beforeAll(async ({ baseURL }) => {
  const app = baseURL as string;
  // Hostile host styles: none of them may reach the launcher or the chat.
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A shop</title>
<style>button, iframe, [role="dialog"] { display: none !important; } * { font-size: 40px !important; }</style>
</head>
<body><main><h1>A shop</h1><p>Products.</p></main>
<script src="${app}/widget.js" data-greeting="${GREETING}" data-position="bottom-right" data-theme="light" async></script>
</body>
</html>`;
  hostServer = createServer((request, response) => {
    if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    } else {
      response.writeHead(404).end();
    }
  });
  // Every address, so both `localhost` (which may resolve to ::1) and 127.0.0.1 reach it.
  await new Promise<void>((resolve) => hostServer.listen(widgetHostPort(app), resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => hostServer.close(resolve));
});

const launcherOf = (page: Page) => page.getByRole("button", { name: "Chat with us" });
const dialogOf = (page: Page) => page.getByRole("dialog", { name: "Chat with us" });
const frameOf = (page: Page) => page.frameLocator('iframe[title="Chat with us"]');

async function openWidget(page: Page) {
  await launcherOf(page).click();
  await expect(dialogOf(page)).toBeVisible();
  // Focus moves into the dialog, to the message box, once the frame is up.
  await expect(frameOf(page).getByRole("textbox", { name: "Your message" })).toBeFocused();
}

test("a page on an allowed origin embeds the chat: it opens, streams an answer, closes with Escape and keeps the conversation", async ({
  page,
  baseURL,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${allowedHostOrigin(baseURL as string)}/`);
  await expect(launcherOf(page)).toHaveAttribute("aria-expanded", "false");
  await openWidget(page);
  await expect(launcherOf(page)).toHaveAttribute("aria-expanded", "true");
  const frame = frameOf(page);
  await expect(frame.getByText(GREETING)).toBeVisible();

  await frame.getByRole("textbox", { name: "Your message" }).fill("What do you sell? [[tokens=120]]");
  await frame.getByRole("textbox", { name: "Your message" }).press("Enter");
  // Words of the answer while it is still being written.
  const writing = frame.locator('.message.assistant[data-status="streaming"]');
  await expect(writing).toContainText(/\w+ \w+ \w+/);
  await expect(frame.getByRole("log", { name: "Conversation" })).toHaveAttribute("aria-busy", "true");
  // And the end: the whole answer, saved.
  const answer = frame.locator('.message.assistant[data-status="complete"]').last();
  await expect(answer).toContainText(/\w+/);
  await expect(frame.getByRole("log", { name: "Conversation" })).toHaveAttribute("aria-busy", "false");
  await expect(frame.locator(".message.user")).toHaveText(["What do you sell? [[tokens=120]]"]);
  const answered = (await answer.textContent()) ?? "";
  expect(answered.length).toBeGreaterThan(40);

  // Escape closes the dialog and gives focus back to the launcher.
  await frame.getByRole("textbox", { name: "Your message" }).press("Escape");
  await expect(dialogOf(page)).toBeHidden();
  await expect(launcherOf(page)).toBeFocused();
  await expect(launcherOf(page)).toHaveAttribute("aria-expanded", "false");

  // A reload keeps the visitor (their key is on the host page) and shows the saved conversation.
  await page.reload();
  await openWidget(page);
  await expect(frameOf(page).locator(".message.user")).toHaveText(["What do you sell? [[tokens=120]]"]);
  await expect(frameOf(page).locator(".message.assistant").last()).toHaveText(answered);
  expect(errors).toEqual([]);
});

test("a page on an origin that is not allowed gets no token, and the frame is refused", async ({
  page,
  baseURL,
}) => {
  const tokenRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/widget-token") || request.url().includes("/api/widget/token")) {
      tokenRequests.push(request.url());
    }
  });
  await page.goto(`${refusedHostOrigin(baseURL as string)}/`);
  const frameAnswer = page.waitForResponse((response) => response.url().includes("/widget/frame"));
  await launcherOf(page).click();
  expect((await frameAnswer).status()).toBe(403);
  // Nothing in the frame: the browser blocked the refused page (frame-ancestors 'none').
  await expect(frameOf(page).getByRole("textbox")).toHaveCount(0);
  // The loader asks for a token only when the frame says it is ready, which a refused frame never does.
  expect(tokenRequests).toEqual([]);
  // The token endpoint refuses this origin when asked directly, and CORS keeps its answer from the page.
  const attempt = await page.evaluate(async (app) => {
    try {
      const response = await fetch(`${app}/api/widget/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      return `status ${response.status}`;
    } catch {
      return "blocked";
    }
  }, baseURL as string);
  expect(attempt).toBe("blocked");
  const direct = await page.request.post(`${baseURL}/api/widget/token`, {
    headers: { origin: refusedHostOrigin(baseURL as string) },
    data: {},
  });
  expect(direct.status()).toBe(403);
});

test("the app's own pages refuse every frame; the widget frame allows its one host", async ({
  request,
  baseURL,
}) => {
  for (const path of ["/", "/sign-in", "/chats"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.headers()["content-security-policy"], path).toBe("frame-ancestors 'none'");
    expect(response.headers()["x-frame-options"], path).toBe("DENY");
  }
  const host = allowedHostOrigin(baseURL as string);
  const frame = await request.get(`/widget/frame?host=${encodeURIComponent(host)}`);
  expect(frame.status()).toBe(200);
  expect(frame.headers()["content-security-policy"]).toContain(`frame-ancestors ${host}`);
  expect(frame.headers()["x-frame-options"]).toBeUndefined();
});

test("the open widget has no serious or critical accessibility violations", async ({ page, baseURL }) => {
  await page.goto(`${allowedHostOrigin(baseURL as string)}/`);
  await openWidget(page);
  await expect(frameOf(page).getByText(GREETING)).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  // The frame's document was checked too (axe runs in every frame): its message box has a label.
  const labelled = results.passes.find(({ id }) => id === "label")?.nodes ?? [];
  expect(labelled.map(({ target }) => JSON.stringify(target)).join(" ")).toContain("#widget-message");
  const serious = results.violations.filter(({ impact }) => impact === "serious" || impact === "critical");
  expect(
    serious.map(({ id, nodes }) => `${id}: ${nodes.map((node) => node.target.join(" ")).join(", ")}`),
  ).toEqual([]);
});

test("fits a 360-px-wide phone screen", async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto(`${allowedHostOrigin(baseURL as string)}/`);
  await openWidget(page);
  const dialog = await dialogOf(page).boundingBox();
  expect(dialog).not.toBeNull();
  const { x, y, width, height } = dialog as NonNullable<typeof dialog>;
  expect(x).toBeGreaterThanOrEqual(0);
  expect(y).toBeGreaterThanOrEqual(0);
  expect(x + width).toBeLessThanOrEqual(360);
  expect(y + height).toBeLessThanOrEqual(640);
  const send = await frameOf(page).getByRole("button", { name: "Send" }).boundingBox();
  expect(send && send.x + send.width).toBeLessThanOrEqual(360);
});

test("the loader the app serves is at most 5 KB minified and gzipped", async ({ request }) => {
  const response = await request.get("/widget.js");
  expect(response.status()).toBe(200);
  const size = gzipSync(await response.body(), { level: 9 }).length;
  expect(size).toBeGreaterThan(500);
  expect(size).toBeLessThanOrEqual(5 * 1024);
});

// The demo's POST /chat end to end below the browser: session cookie, owner check, the offline
// demo model over the openai SDK, the streamed answer, and the saved messages in every ending.
// The model is steered with its prompt directives ([[fast]], [[fail-mid-stream=N]], ...).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // A small limit so the rate-limit case needs few requests; the other cases stay under it.
  process.env.CHAT_RATE_LIMIT = "8";
});

import { POST } from "@/app/chat/route";
import { db } from "@/lib/db";
import { databaseKind } from "./database";
import { APP, signUp } from "./session";

const prisma = db();
const emails: string[] = [];
let alice = "";
let bob = "";

async function signUpAs(): Promise<string> {
  const { cookie, email } = await signUp("chat");
  emails.push(email);
  return cookie;
}

async function newChat(cookie: string): Promise<string> {
  const { POST: create } = await import("@/app/api/models/[...path]/route");
  const response = await create(
    new Request(`${APP}/api/models/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: APP },
      body: JSON.stringify({ data: {} }),
    }),
  );
  return (await response.json()).data.id;
}

function ask(cookie: string, chatId: string, content: string, signal?: AbortSignal) {
  return POST(
    new Request(`${APP}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: APP },
      body: JSON.stringify({ chatId, messages: [{ role: "user", content }] }),
      signal,
    }),
  );
}

/** The chat's messages once the answer is no longer streaming. */
async function settled(chatId: string) {
  return vi.waitFor(
    async () => {
      const messages = await prisma.message.findMany({ where: { chatId }, orderBy: { order: "asc" } });
      if (messages.some((message) => message.status === "streaming")) throw new Error("still streaming");
      return messages;
    },
    { timeout: 20_000, interval: 20 },
  );
}

beforeAll(async () => {
  [alice, bob] = [await signUpAs(), await signUpAs()];
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { email: { in: emails } } });
  await prisma.$disconnect();
});

describe(`POST /chat (${databaseKind})`, () => {
  it("streams the answer as text and saves both messages, the answer as complete", async () => {
    const chatId = await newChat(alice);
    const response = await ask(alice, chatId, "Tell me about webhooks [[fast]] [[tokens=40]]");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    const text = await response.text();
    expect(text.length).toBeGreaterThan(20);
    const messages = await settled(chatId);
    expect(messages.map(({ order, role, status }) => ({ order, role, status }))).toEqual([
      { order: 1, role: "user", status: "complete" },
      { order: 2, role: "assistant", status: "complete" },
    ]);
    expect(messages[1]?.content).toBe(text);
    const chat = await prisma.chat.findUniqueOrThrow({ where: { id: chatId } });
    expect(chat.title).toBe("Tell me about webhooks [[fast]] [[tokens=40]]");
  });

  it("answers 404 to another user and 403 without a session, saving nothing", async () => {
    const chatId = await newChat(alice);
    expect((await ask(bob, chatId, "hi [[fast]]")).status).toBe(404);
    expect((await ask("", chatId, "hi [[fast]]")).status).toBe(403);
    expect(await prisma.message.count({ where: { chatId } })).toBe(0);
  });

  it("refuses an oversized message with 413 and a malformed body with 400", async () => {
    const chatId = await newChat(alice);
    expect((await ask(alice, chatId, "x".repeat(8_001))).status).toBe(413);
    const noUser = await POST(
      new Request(`${APP}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: alice, origin: APP },
        body: JSON.stringify({ chatId, messages: [{ role: "system", content: "obey" }] }),
      }),
    );
    expect(noUser.status).toBe(400);
    expect(await prisma.message.count({ where: { chatId } })).toBe(0);
  });

  it("answers 502 when the model fails before its first token, and marks the answer as an error", async () => {
    const chatId = await newChat(alice);
    const response = await ask(alice, chatId, "hi [[fail-before-first-token]]");
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe("BAD_GATEWAY");
    const messages = await settled(chatId);
    expect(messages.map((message) => [message.role, message.status, message.content])).toEqual([
      ["user", "complete", "hi [[fail-before-first-token]]"],
      ["assistant", "error", ""],
    ]);
  });

  it("errors the body when the model fails mid-answer, and saves the partial text as an error", async () => {
    const chatId = await newChat(alice);
    const response = await ask(alice, chatId, "hi [[fast]] [[fail-mid-stream=5]]");
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    const [, answer] = await settled(chatId);
    expect(answer?.status).toBe("error");
    expect(answer?.content.length).toBeGreaterThan(0);
  });

  it("saves what was written as aborted when the client goes away", async () => {
    const chatId = await newChat(alice);
    const abort = new AbortController();
    const response = await ask(alice, chatId, "a long answer [[tokens=400]]", abort.signal);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value).length).toBeGreaterThan(0);
    await reader.cancel();
    abort.abort();
    const [, answer] = await settled(chatId);
    expect(answer?.status).toBe("aborted");
    expect(answer?.content.length).toBeGreaterThan(0);
  });

  it("limits each user's messages per minute with 429 and Retry-After", async () => {
    const cookie = await signUpAs();
    const chatId = await newChat(cookie);
    const statuses: number[] = [];
    for (let index = 0; index < 9; index++) {
      const response = await ask(cookie, chatId, `question ${index} [[fast]] [[tokens=3]]`);
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      await response.body?.cancel();
      await settled(chatId);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
  });
});

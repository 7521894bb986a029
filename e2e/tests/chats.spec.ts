import { expect, type Page, test } from "@playwright/test";
import { signUp } from "./sign-up";

/** Creates a chat from the list's form. */
async function createChat(page: Page, title: string) {
  await page.getByRole("form", { name: "New chat" }).getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create chat" }).click();
}

test("a user's chats: create, rename, open, ask, see changes live; another user sees none of them", async ({
  page,
  context,
  request,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const run = `${test.info().workerIndex}-${Date.now()}`;
  const chats = page.getByRole("list", { name: "Chats" });

  await signUp(page, `chats-owner-${run}@example.com`);
  await expect(page.getByRole("heading", { level: 1, name: "Your chats" })).toBeVisible();
  await expect(page.getByText("No chats yet. Create one above.")).toBeVisible();

  // Create and rename: the list shows what the server saved.
  await createChat(page, `Trip plans ${run}`);
  await expect(chats.getByRole("link", { name: `Trip plans ${run}` })).toBeVisible();
  await expect(page.getByRole("form", { name: "New chat" }).getByLabel("Title")).toHaveValue("");
  await chats.getByRole("button", { name: `Rename Trip plans ${run}` }).click();
  await page.getByLabel(`New title for Trip plans ${run}`).fill(`Holiday ${run}`);
  await page.getByRole("button", { name: "Save" }).click();
  const title = `Holiday ${run}`;
  await expect(chats.getByRole("link", { name: title, exact: true })).toBeVisible();
  await expect(chats.getByRole("link", { name: `Trip plans ${run}` })).toHaveCount(0);

  // Open it and ask two questions; each gets the offline model's answer ([[fast]]: at once), and a
  // reload shows all four messages again, in order, so they were saved.
  await chats.getByRole("link", { name: title, exact: true }).click();
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
  const chatId = new URL(page.url()).pathname.split("/").pop() as string;
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("No messages yet.")).toBeVisible();
  // The chat's messages, not the list items of the Markdown inside the answers.
  const messages = page.getByRole("list", { name: "Messages" }).locator(":scope > li");
  const answered = /^Assistant\s*(?!Writing)\S/;
  const messageField = page.getByRole("textbox", { name: "Message" });
  await messageField.fill("Where should we go in May? [[fast]]");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(messages).toHaveText([/^You\s*Where should we go in May\? \[\[fast\]\]$/, answered]);
  await expect(messageField).toHaveValue("");
  await messageField.fill("Somewhere warm. [[fast]]");
  await page.getByRole("button", { name: "Send" }).click();
  const conversation = [
    /^You\s*Where should we go in May\? \[\[fast\]\]$/,
    answered,
    /^You\s*Somewhere warm\. \[\[fast\]\]$/,
    answered,
  ];
  await expect(messages).toHaveText(conversation);
  await page.reload();
  await expect(messages).toHaveText(conversation);

  // Live: a second tab of the same browser sees chats created and deleted in the first, without a reload.
  const other = await context.newPage();
  other.on("pageerror", (error) => errors.push(error.message));
  const otherChats = other.getByRole("list", { name: "Chats" });
  const liveStream = other.waitForRequest((sent) => new URL(sent.url()).pathname === "/api/models/_live");
  await other.goto("/chats");
  await expect(otherChats.getByRole("link", { name: title, exact: true })).toBeVisible();
  await liveStream;
  let otherLoads = 0;
  other.on("load", () => otherLoads++);

  await page.goto("/chats");
  await createChat(page, `Live ${run}`);
  await expect(chats.getByRole("link", { name: `Live ${run}` })).toBeVisible();
  // Most recently updated first.
  await expect(otherChats.getByRole("link")).toHaveText([`Live ${run}`, title]);
  await chats.getByRole("button", { name: `Delete Live ${run}` }).click();
  await expect(chats.getByRole("link", { name: `Live ${run}` })).toHaveCount(0);
  await expect(otherChats.getByRole("link")).toHaveText([title]);
  expect(otherLoads).toBe(0);
  await other.close();

  // Another user: the first user's chat is neither listed nor readable.
  await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
  await expect(
    page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" }),
  ).toBeVisible();
  // The list sends a signed-out visitor to sign in: let that navigation end before the next one.
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fchats$/);
  await signUp(page, `chats-other-${run}@example.com`);
  await expect(page.getByText("No chats yet. Create one above.")).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);
  await page.goto(`/chats/${chatId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Chat not found" })).toBeVisible();
  await expect(page.getByText("Where should we go in May?")).toHaveCount(0);

  // And over plain HTTP: with the second user's session the chat is absent (not forbidden: its
  // existence is not revealed), and so are its messages; without a session the API refuses.
  const cookie = (await context.cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
  const asOther = await request.get(`/api/models/chat/${chatId}`, { headers: { cookie } });
  expect(asOther.status()).toBe(404);
  expect((await asOther.json()).error).toMatchObject({ code: "NOT_FOUND" });
  const query = encodeURIComponent(JSON.stringify({ filter: { chat: { equals: chatId } } }));
  const otherMessages = await request.get(`/api/models/message?query=${query}`, { headers: { cookie } });
  expect(otherMessages.status()).toBe(200);
  expect((await otherMessages.json()).data).toEqual([]);
  const anonymous = await request.get(`/api/models/chat/${chatId}`);
  expect(anonymous.status()).toBe(403);
  expect((await anonymous.json()).error).toMatchObject({ code: "FORBIDDEN" });

  expect(errors).toEqual([]);
});

test("the chat list is for signed-in users: a visitor is sent to sign in, with the list as the way back", async ({
  page,
}) => {
  await page.goto("/chats");
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fchats$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
});

test("the chat list pages through chats 20 at a time, most recently updated first", async ({ page }) => {
  await signUp(page, `chats-pages-${test.info().workerIndex}-${Date.now()}@example.com`);
  const links = page.getByRole("list", { name: "Chats" }).getByRole("link");
  await expect(page.getByText("No chats yet. Create one above.")).toBeVisible();
  // Created over HTTP with the page's session, one after another; the open list follows live.
  for (let number = 1; number <= 21; number++) {
    const response = await page.request.post("/api/models/chat", {
      data: { data: { title: `Chat ${number}` } },
    });
    expect(response.status()).toBe(201);
  }
  const newest = Array.from({ length: 20 }, (_, index) => `Chat ${21 - index}`);
  await expect(links).toHaveText(newest);

  const pages = page.getByRole("navigation", { name: "Pages of chats" });
  await expect(pages.getByRole("button", { name: "Newer chats" })).toBeDisabled();
  await pages.getByRole("button", { name: "Older chats" }).click();
  await expect(links).toHaveText(["Chat 1"]);
  await expect(pages.getByRole("button", { name: "Older chats" })).toBeDisabled();
  await pages.getByRole("button", { name: "Newer chats" }).click();
  await expect(links).toHaveText(newest);
  await expect(pages.getByRole("button", { name: "Newer chats" })).toBeDisabled();
});

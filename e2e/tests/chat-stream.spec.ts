// The chat page against the built-in offline model at its normal pace (about 30 tokens a second),
// steered by the prompt directives it reads: [[tokens=N]] for a long answer, and
// [[fail-before-first-token]] for a model that fails before it answers.
import { expect, type Page, test } from "@playwright/test";
import { signUp } from "./sign-up";

/** Signs up, creates a chat over HTTP with the page's session, and opens it. */
async function openNewChat(page: Page, name: string): Promise<string> {
  await signUp(page, `${name}-${test.info().workerIndex}-${Date.now()}@example.com`);
  const created = await page.request.post("/api/models/chat", { data: { data: {} } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()).data as { id: string };
  await page.goto(`/chats/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: "New chat" })).toBeVisible();
  await expect(page.getByText("Answers come from the offline demo model")).toBeVisible();
  return id;
}

/** The chat's messages (not the list items of the Markdown inside them). */
const messagesOf = (page: Page) => page.getByRole("list", { name: "Messages" }).locator(":scope > li");

async function ask(page: Page, question: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(question);
  // Enabled once the conversation and the session are loaded; Enter sends, as the button does.
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

/** The error of the last question: an alert with a Retry button (Next.js has its own empty alert). */
const chatErrorOf = (page: Page) =>
  page.getByRole("alert").filter({ has: page.getByRole("button", { name: "Retry" }) });

/** The chat's messages as the model API returns them to the signed-in user. */
async function savedMessages(page: Page, chatId: string) {
  const query = encodeURIComponent(
    JSON.stringify({ filter: { chat: { equals: chatId } }, sort: { order: "Ascending" } }),
  );
  const response = await page.request.get(`/api/models/message?query=${query}`);
  expect(response.status()).toBe(200);
  return (await response.json()).data as { role: string; content: string; status: string }[];
}

test("an answer shows as it streams, as Markdown, and a reload shows the saved conversation in order", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const chatId = await openNewChat(page, "stream");
  await expect(page.getByText("No messages yet.")).toBeVisible();

  const question = "How do I stream answers? [[tokens=90]]";
  await ask(page, question);
  await expect(page.getByRole("textbox", { name: "Message" })).toHaveValue("");
  // Words of the answer while it is still being written: the Stop button is there, the
  // conversation is busy, and the answer is marked as being written.
  const writing = messagesOf(page).and(page.locator('[data-status="streaming"]'));
  await expect(writing.locator(".markdown")).toContainText(/\w+ \w+ \w+/);
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(page.getByRole("log", { name: "Conversation" })).toHaveAttribute("aria-busy", "true");
  await expect(writing).toContainText("Writing…");

  // The end: Send again, no badge, and the Markdown's list rendered as a list.
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(page.getByRole("log", { name: "Conversation" })).toHaveAttribute("aria-busy", "false");
  await expect(messagesOf(page)).toHaveText([/^You\s*How do I stream answers\?/, /^Assistant\s*\w/]);
  await expect(messagesOf(page).last().locator(".markdown ul > li").first()).toBeVisible();
  await expect(messagesOf(page).last()).not.toContainText("Writing…");
  // The first question names the chat.
  await expect(page.getByRole("heading", { level: 1, name: question })).toBeVisible();

  const saved = await savedMessages(page, chatId);
  expect(saved.map(({ role, status }) => [role, status])).toEqual([
    ["user", "complete"],
    ["assistant", "complete"],
  ]);

  await page.reload();
  await expect(messagesOf(page)).toHaveText([/^You\s*How do I stream answers\?/, /^Assistant\s*\w/]);
  await expect(messagesOf(page).last().locator(".markdown ul > li").first()).toBeVisible();
  await expect(messagesOf(page).last()).toContainText((saved[1]?.content ?? "").split("\n")[0] as string);
  expect(errors).toEqual([]);
});

test("Stop keeps the answer so far, saved as stopped", async ({ page }) => {
  const chatId = await openNewChat(page, "stop");
  await ask(page, "Tell me about retries [[tokens=600]]");
  const writing = messagesOf(page).and(page.locator('[data-status="streaming"]'));
  await expect(writing.locator(".markdown")).toContainText(/\w+ \w+ \w+/);
  await page.getByRole("button", { name: "Stop" }).click();

  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(messagesOf(page).last()).toContainText("Stopped");
  await expect(chatErrorOf(page)).toHaveCount(0);

  // Saved as aborted, with the text written before the stop.
  await expect
    .poll(async () => (await savedMessages(page, chatId)).map(({ role, status }) => `${role} ${status}`))
    .toEqual(["user complete", "assistant aborted"]);
  const [, answer] = await savedMessages(page, chatId);
  expect(answer?.content.length).toBeGreaterThan(0);

  await page.reload();
  await expect(messagesOf(page)).toHaveText([/^You\s*Tell me about retries/, /^Assistant\s*Stopped\s*\w/]);
});

test("a model that fails before answering shows why, and Retry sends the edited question", async ({
  page,
}) => {
  const chatId = await openNewChat(page, "retry");
  const field = page.getByRole("textbox", { name: "Message" });
  // The directive fails every question that carries it, so the question comes back to the box to
  // be edited (here: the directive replaced by a short answer's) before Retry sends it.
  await ask(page, "Explain caching [[fail-before-first-token]]");
  await expect(chatErrorOf(page)).toContainText("The model did not answer.");
  await expect(field).toHaveValue("Explain caching [[fail-before-first-token]]");
  // The question was saved, and the answer's place marked as failed.
  await expect(messagesOf(page)).toHaveText([/^You\s*Explain caching/, /^Assistant\s*Error\s*No answer\.$/]);

  await field.fill("Explain caching [[tokens=40]]");
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(chatErrorOf(page)).toHaveCount(0);
  await expect(field).toHaveValue("");
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(messagesOf(page)).toHaveText([
    /^You\s*Explain caching \[\[fail-before-first-token\]\]$/,
    /^Assistant\s*Error\s*No answer\.$/,
    /^You\s*Explain caching \[\[tokens=40\]\]$/,
    /^Assistant\s*\w/,
  ]);
  await expect
    .poll(async () => (await savedMessages(page, chatId)).map(({ status }) => status))
    .toEqual(["complete", "error", "complete", "complete"]);
});

import { execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { e2eDatabaseUrl } from "../shopify";
import { GITHUB_WEBHOOK_SECRET, OPERATOR_EMAIL } from "./inbox-settings";
import { signUp } from "./sign-up";

/** `npm run operator -- <email>` against this run's database. */
function verifyOperator(email: string, baseURL: string): void {
  const script = fileURLToPath(new URL("../../apps/demo/scripts/verify-operator.mjs", import.meta.url));
  execFileSync(process.execPath, [script, email], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl(baseURL) },
    stdio: "pipe",
  });
}

test("the webhook inbox: an operator sees a signed GitHub delivery and replays it", async ({
  page,
  request,
  baseURL,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));

  // A star event, signed as GitHub signs it, stored by the demo's durable inbox.
  const deliveryId = randomUUID();
  const body = JSON.stringify({
    action: "created",
    repository: { full_name: "acme/sprocket", stargazers_count: 7 },
    sender: { login: "ada" },
  });
  const delivered = await request.post("/webhooks/github", {
    headers: {
      "content-type": "application/json",
      "X-Hub-Signature-256": `sha256=${createHmac("sha256", GITHUB_WEBHOOK_SECRET).update(body).digest("hex")}`,
      "X-GitHub-Delivery": deliveryId,
      "X-GitHub-Event": "star",
    },
    data: body,
  });
  expect(delivered.status()).toBe(204);

  // Not signed in: the page sends the visitor to sign in, and back afterwards.
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Finbox$/);

  await signUp(page, OPERATOR_EMAIL);
  // A listed address counts once verified: until then the page is not found, as for anyone.
  const unverified = await page.goto("/inbox");
  expect(unverified?.status()).toBe(404);
  verifyOperator(OPERATOR_EMAIL, baseURL ?? "");
  await page.goto("/inbox");
  await expect(page.getByRole("heading", { level: 1, name: "Webhook inbox" })).toBeVisible();
  const row = page
    .getByRole("table", { name: "Deliveries" })
    .getByRole("row")
    .filter({ hasText: deliveryId });
  // The handler runs after the answer; reload until the page shows it done.
  await expect(async () => {
    await page.reload();
    await expect(row.getByRole("cell")).toHaveText([
      "github",
      `star${deliveryId}`,
      "—",
      "processed",
      "1",
      "—",
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
      /^Replay/,
    ]);
  }).toPass();
  // The payload stays out of the page.
  await expect(page.getByText("acme/sprocket")).toHaveCount(0);

  await row.getByRole("button", { name: "Replay github star" }).click();
  await expect(row.getByRole("status")).toHaveText("Replayed: processed");
  await expect(row.getByRole("cell").nth(3)).toHaveText("processed");
  await expect(row.getByRole("cell").nth(4)).toHaveText("1");
  expect(errors).toEqual([]);
});

test("the webhook inbox is not found for a signed-in user who is not an operator", async ({ page }) => {
  await signUp(page, `inbox-visitor-${test.info().workerIndex}-${Date.now()}@example.com`);
  const response = await page.goto("/inbox");
  expect(response?.status()).toBe(404);
  await expect(page.getByText("This page could not be found.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Webhook inbox" })).toHaveCount(0);

  // The replay route answers as for an unknown address, even from the app's own pages.
  const replay = await page.evaluate(async () => {
    const answer = await fetch(`/api/inbox/${crypto.randomUUID()}/replay`, { method: "POST" });
    return answer.status;
  });
  expect(replay).toBe(404);
});

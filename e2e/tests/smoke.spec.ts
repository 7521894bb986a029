import { expect, test } from "@playwright/test";

test("the home page renders and reaches the database", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Sprocket demo");
  await expect(page.getByRole("heading", { level: 1, name: "Sprocket" })).toBeVisible();
  await expect(page.getByTestId("database-status")).toHaveText(/Database: connected \(\d+ ms\)/);
  expect(errors).toEqual([]);
});

test("the health endpoint reports the database up, with a request id", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(await response.json()).toMatchObject({ status: "ok", database: { status: "up" } });
});

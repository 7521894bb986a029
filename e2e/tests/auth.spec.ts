import { expect, test } from "@playwright/test";

const PASSWORD = "correct horse battery staple";

test("sign up, see the email in the header, sign out, sign in again; a wrong password shows an error", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const email = `e2e-${test.info().workerIndex}-${Date.now()}@example.com`;
  const account = page.getByRole("navigation", { name: "Account" });

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Without a redirect parameter, sign-up lands on the chats.
  await expect(page).toHaveURL(/\/chats$/);
  await expect(account.getByTestId("user-email")).toHaveText(email);

  await account.getByRole("button", { name: "Sign out" }).click();
  await expect(account.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(account.getByTestId("user-email")).toHaveCount(0);
  // Signed out on the server too: a fresh load finds no session.
  await page.reload();
  await expect(account.getByRole("link", { name: "Sign in" })).toBeVisible();

  await page.goto("/sign-in?redirectTo=%2F");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Invalid email or password.");
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2F$/);
  await expect(account.getByTestId("user-email")).toHaveCount(0);

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The redirect parameter brings the visitor back to where they were sent from.
  await expect(page).toHaveURL(/\/$/);
  await expect(account.getByTestId("user-email")).toHaveText(email);
  expect(errors).toEqual([]);
});

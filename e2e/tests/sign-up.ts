// Signing up from the browser, as every spec that needs an account starts.
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

/**
 * Signs a new account up from the sign-up page; it lands on the chat list, signed in.
 *
 * @example
 * await signUp(page, `ada-${Date.now()}@example.com`);
 */
export async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/chats$/);
  await expect(page.getByRole("navigation", { name: "Account" }).getByTestId("user-email")).toHaveText(email);
}

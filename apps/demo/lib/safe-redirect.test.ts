import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeRedirect } from "./safe-redirect";

describe("safeRedirect", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeRedirect("/chats?tab=2#latest")).toBe("/chats?tab=2#latest");
    expect(safeRedirect("/")).toBe("/");
  });

  it("falls back to /chats without a redirect", () => {
    expect(DEFAULT_AFTER_SIGN_IN).toBe("/chats");
    expect(safeRedirect(null)).toBe("/chats");
    expect(safeRedirect("")).toBe("/chats");
    expect(safeRedirect(undefined, "/")).toBe("/");
  });

  it.each([
    "https://evil.example/sign-in",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/.//evil.example",
    "/%2e//evil.example",
    "/a/..//evil.example",
    "/./\\evil.example",
    "javascript:alert(1)",
    "chats",
  ])("refuses %j, which leaves the site or is not a path", (redirect) => {
    expect(safeRedirect(redirect)).toBe("/chats");
  });
});

import { describe, expect, it } from "vitest";
import { offlineSessionRow } from "../shopify-session/index.js";
import { isServerCommand, main } from "./index.js";

const collect = () => {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      env: {},
    },
  };
};

describe("sprocket-dev", () => {
  it("tells servers from commands that finish", () => {
    expect(isServerCommand(["db", "serve", "--port", "5433"])).toBe(true);
    expect(isServerCommand(["model", "--port", "4010"])).toBe(true);
    expect(isServerCommand(["migrate", "deploy"])).toBe(false);
    expect(isServerCommand(["shopify", "session", "--shop", "a.myshopify.com"])).toBe(false);
    expect(isServerCommand(["--bogus"])).toBe(false);
  });

  it("answers unknown commands and options with exit 2 and the usage", async () => {
    for (const argv of [["frobnicate"], ["shopify", "session", "--bogus"], ["shopify", "session", "extra"]]) {
      const { out, io } = collect();
      expect(await main(argv, io)).toBe(2);
      expect(out.stderr).toContain("sprocket-dev shopify session");
    }
  });
});

describe("offlineSessionRow", () => {
  it("is PrismaSessionStorage's row for an offline session", () => {
    expect(
      offlineSessionRow({ shop: "a-1.myshopify.com", accessToken: "shpat_x", scope: " read_a ,write_b," }),
    ).toEqual({
      id: "offline_a-1.myshopify.com",
      shop: "a-1.myshopify.com",
      state: "",
      isOnline: false,
      scope: "read_a,write_b",
      expires: null,
      accessToken: "shpat_x",
      userId: null,
      firstName: null,
      lastName: null,
      email: null,
      accountOwner: false,
      locale: null,
      collaborator: false,
      emailVerified: false,
      refreshToken: null,
      refreshTokenExpires: null,
    });
  });

  it("refuses a shop that is not a *.myshopify.com domain and an empty token, without echoing the token", () => {
    expect(() => offlineSessionRow({ shop: "a.example.com", accessToken: "shpat_secret" })).toThrow(
      /not a shop domain/,
    );
    expect(() => offlineSessionRow({ shop: "a.myshopify.com", accessToken: " " })).toThrow(/access token/);
    let message = "";
    try {
      offlineSessionRow({ shop: "A.myshopify.com", accessToken: "shpat_secret" });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain("not a shop domain");
    expect(message).not.toContain("shpat_secret");
  });
});

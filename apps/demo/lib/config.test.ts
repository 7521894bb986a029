import { describe, expect, it } from "vitest";
import { DEVELOPMENT_AUTH_SECRET, MIN_AUTH_SECRET_LENGTH, readConfig } from "./config";

const DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/app";
const SECRET = "s3cr3t-".repeat(6);

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    readConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("readConfig accepted the environment");
}

describe("readConfig", () => {
  it("reads the auth settings", () => {
    const { auth } = readConfig({
      NODE_ENV: "production",
      DATABASE_URL,
      BETTER_AUTH_SECRET: SECRET,
      BETTER_AUTH_URL: "https://app.example.com",
    });
    expect(auth).toEqual({
      secret: SECRET,
      isDevelopmentSecret: false,
      baseUrl: "https://app.example.com",
      isRateLimitDisabled: false,
    });
  });

  it("keeps the auth rate limits unless AUTH_RATE_LIMIT is off", () => {
    const production: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      DATABASE_URL,
      BETTER_AUTH_SECRET: SECRET,
    };
    expect(readConfig(production).auth.isRateLimitDisabled).toBe(false);
    expect(readConfig({ ...production, AUTH_RATE_LIMIT: "on" }).auth.isRateLimitDisabled).toBe(false);
    expect(readConfig({ ...production, AUTH_RATE_LIMIT: "off" }).auth.isRateLimitDisabled).toBe(true);
    // A typo must not pass for either value.
    expect(problemsOf({ ...production, AUTH_RATE_LIMIT: "false" })).toMatch(/AUTH_RATE_LIMIT must be "on"/);
  });

  it("takes the base URL from requests when BETTER_AUTH_URL is unset", () => {
    expect(
      readConfig({ NODE_ENV: "production", DATABASE_URL, BETTER_AUTH_SECRET: SECRET }).auth.baseUrl,
    ).toBe(undefined);
  });

  it("falls back to the labelled development secret outside production only", () => {
    const { auth } = readConfig({ NODE_ENV: "development", DATABASE_URL });
    expect(auth).toMatchObject({ secret: DEVELOPMENT_AUTH_SECRET, isDevelopmentSecret: true });
    expect(DEVELOPMENT_AUTH_SECRET).toMatch(/DEVELOPMENT-ONLY/);
    expect(DEVELOPMENT_AUTH_SECRET.length).toBeGreaterThanOrEqual(MIN_AUTH_SECRET_LENGTH);
    expect(problemsOf({ NODE_ENV: "production", DATABASE_URL })).toMatch(/BETTER_AUTH_SECRET is not set/);
  });

  it("refuses a short secret without quoting it", () => {
    const message = problemsOf({
      NODE_ENV: "development",
      DATABASE_URL,
      BETTER_AUTH_SECRET: "hunter2-short",
    });
    expect(message).toMatch(/BETTER_AUTH_SECRET must be at least 32 characters/);
    expect(message).not.toContain("hunter2");
  });

  it("refuses a BETTER_AUTH_URL that is not an absolute http(s) URL", () => {
    expect(problemsOf({ NODE_ENV: "development", DATABASE_URL, BETTER_AUTH_URL: "app.example.com" })).toMatch(
      /BETTER_AUTH_URL must be an absolute http\(s\) URL/,
    );
    expect(
      problemsOf({ NODE_ENV: "development", DATABASE_URL, BETTER_AUTH_URL: "ftp://app.example.com" }),
    ).toMatch(/BETTER_AUTH_URL/);
  });

  it("names every problem at once", () => {
    const message = problemsOf({
      NODE_ENV: "production",
      DATABASE_URL: "mysql://x",
      BETTER_AUTH_URL: "nope",
    });
    expect(message.split("\n- ").slice(1)).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a postgresql:\/\/ URL/),
      expect.stringMatching(/^BETTER_AUTH_SECRET is not set/),
      expect.stringMatching(/^BETTER_AUTH_URL must be/),
    ]);
  });

  it("reads the model settings: a key, a compatible server, or the offline demo model", () => {
    expect(readConfig({ NODE_ENV: "development", DATABASE_URL }).model).toEqual({
      apiKey: undefined,
      baseUrl: undefined,
      name: "local",
      isOffline: true,
    });
    expect(
      readConfig({ NODE_ENV: "development", DATABASE_URL, OPENAI_API_KEY: "sk-test" }).model,
    ).toMatchObject({
      name: "gpt-4o-mini",
      isOffline: false,
    });
    expect(
      readConfig({
        NODE_ENV: "development",
        DATABASE_URL,
        OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
        OPENAI_MODEL: "llama3.2",
      }).model,
    ).toEqual({
      apiKey: undefined,
      baseUrl: "http://127.0.0.1:11434/v1",
      name: "llama3.2",
      isOffline: false,
    });
    expect(readConfig({ NODE_ENV: "development", DATABASE_URL }).chatRateLimit).toBe(20);
  });

  it("names a malformed model URL or chat rate limit, never the key", () => {
    const message = problemsOf({
      NODE_ENV: "development",
      DATABASE_URL,
      OPENAI_API_KEY: "sk-secret-value",
      OPENAI_BASE_URL: "ollama",
      CHAT_RATE_LIMIT: "lots",
    });
    expect(message).toContain("OPENAI_BASE_URL");
    expect(message).toContain("CHAT_RATE_LIMIT");
    expect(message).not.toContain("sk-secret-value");
  });
  it("reads the webhook and cron secrets, and refuses malformed ones without quoting them", () => {
    const env = { NODE_ENV: "development" as const, DATABASE_URL };
    expect(readConfig(env).webhooks).toEqual({
      githubSecret: undefined,
      stripeSecret: undefined,
      standardSecret: undefined,
      retentionDays: 30,
    });
    expect(readConfig(env).cronSecret).toBeUndefined();
    const set = readConfig({
      ...env,
      GITHUB_WEBHOOK_SECRET: "gh",
      STRIPE_WEBHOOK_SECRET: "whsec_stripe",
      STANDARD_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      CRON_SECRET: "c".repeat(16),
      WEBHOOK_RETENTION_DAYS: "7",
    });
    expect(set.webhooks).toEqual({
      githubSecret: "gh",
      stripeSecret: "whsec_stripe",
      standardSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      retentionDays: 7,
    });
    expect(set.cronSecret).toBe("c".repeat(16));
    const message = problemsOf({
      ...env,
      STANDARD_WEBHOOK_SECRET: "not-a-whsec-secret",
      CRON_SECRET: "short-cron",
      WEBHOOK_RETENTION_DAYS: "0",
    });
    expect(message).toContain("WEBHOOK_RETENTION_DAYS must be a whole number of days from 1 to 36500");
    expect(problemsOf({ ...env, WEBHOOK_RETENTION_DAYS: "3000000" })).toContain("WEBHOOK_RETENTION_DAYS");
    expect(message).toContain("STANDARD_WEBHOOK_SECRET must be whsec_");
    expect(message).toContain("CRON_SECRET must be at least 16 characters");
    expect(message).not.toContain("not-a-whsec-secret");
    expect(message).not.toContain("short-cron");
  });

  it("reads the operators' emails, case-insensitively; unset means nobody", () => {
    expect(readConfig({ DATABASE_URL, NODE_ENV: "test" }).adminEmails).toEqual([]);
    expect(
      readConfig({ DATABASE_URL, NODE_ENV: "test", ADMIN_EMAILS: " Ada@Example.com, ,grace@example.org " })
        .adminEmails,
    ).toEqual(["ada@example.com", "grace@example.org"]);
    expect(
      problemsOf({ DATABASE_URL, NODE_ENV: "test", ADMIN_EMAILS: "ada@example.com, not an email" }),
    ).toBe('ADMIN_EMAILS must be comma-separated email addresses, got "not an email".');
  });

  it("reads the Shopify app, with comma-separated secrets for rotation", () => {
    expect(readConfig({ DATABASE_URL, NODE_ENV: "test" }).shopify).toBeUndefined();
    const { shopify } = readConfig({
      DATABASE_URL,
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "newest, older ,",
      SHOPIFY_ADMIN_ORIGIN: "http://127.0.0.1:4020",
    });
    expect(shopify).toEqual({
      apiKey: "key",
      secrets: ["newest", "older"],
      adminOrigin: "http://127.0.0.1:4020",
    });
  });

  it("refuses half a Shopify configuration and a bad admin origin, without quoting the secret", () => {
    const problems = problemsOf({
      DATABASE_URL,
      NODE_ENV: "test",
      SHOPIFY_API_SECRET: "very-secret-value",
      SHOPIFY_ADMIN_ORIGIN: "ftp://x",
    });
    expect(problems).toContain("SHOPIFY_API_KEY is not set");
    expect(problems).toContain("SHOPIFY_ADMIN_ORIGIN must be an absolute http(s) URL");
    expect(problems).not.toContain("very-secret-value");
    expect(problemsOf({ DATABASE_URL, NODE_ENV: "test", SHOPIFY_API_KEY: "key" })).toContain(
      "SHOPIFY_API_SECRET is not set",
    );
  });

  it("requires DIRECT_DATABASE_URL and CRON_SECRET on a Vercel production deployment only", () => {
    const production = { NODE_ENV: "production" as const, DATABASE_URL, BETTER_AUTH_SECRET: SECRET };
    expect(readConfig(production).cronSecret).toBeUndefined();
    const message = problemsOf({ ...production, VERCEL: "1", VERCEL_ENV: "production" });
    expect(message.split("\n- ").slice(1)).toEqual([
      expect.stringMatching(/^DIRECT_DATABASE_URL is not set; on Vercel .*LISTEN\/NOTIFY/),
      expect.stringMatching(/^CRON_SECRET is not set; Vercel Cron calls \/api\/cron\/webhooks/),
    ]);
    // A preview deployment runs no cron jobs.
    expect(problemsOf({ ...production, VERCEL: "1", VERCEL_ENV: "preview" })).toMatch(
      /^DIRECT_DATABASE_URL is not set/,
    );
    const vercel = readConfig({
      ...production,
      VERCEL: "1",
      VERCEL_ENV: "production",
      DIRECT_DATABASE_URL: "postgresql://app:pw@db.example.com:5432/app",
      CRON_SECRET: "c".repeat(16),
    });
    expect(vercel).toMatchObject({ directDatabaseUrl: "postgresql://app:pw@db.example.com:5432/app" });
  });

  it("never quotes a database URL (its password) or any other secret, and says what is expected", () => {
    const message = problemsOf({
      NODE_ENV: "production",
      DATABASE_URL: "mysql://app:p4ssw0rd@db/app",
      DIRECT_DATABASE_URL: "http://app:p4ssw0rd-direct@db/app",
      BETTER_AUTH_SECRET: SECRET,
      GITHUB_WEBHOOK_SECRET: " , ",
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: ",",
      DATABASE_POOL_MAX: "1.5",
    });
    expect(message.split("\n- ").slice(1)).toEqual([
      "DATABASE_URL must be a postgresql:// URL.",
      "DIRECT_DATABASE_URL must be a postgresql:// URL.",
      'DATABASE_POOL_MAX must be a positive whole number, got "1.5".',
      "GITHUB_WEBHOOK_SECRET must be the webhook's secret (comma-separated for several).",
      "SHOPIFY_API_SECRET must be the app's client secret (comma-separated for several, newest first).",
    ]);
    expect(message).not.toContain("p4ssw0rd");
  });

  it("reads the widget's origins and secret, and refuses paths, wildcards and short secrets without quoting them", () => {
    const { widget } = readConfig({
      NODE_ENV: "development",
      DATABASE_URL,
      WIDGET_ALLOWED_ORIGINS: " https://shop.example, http://localhost:3604 ",
      WIDGET_TOKEN_SECRET: SECRET,
    });
    expect(widget).toEqual({
      allowedOrigins: ["https://shop.example", "http://localhost:3604"],
      tokenSecret: SECRET,
    });
    expect(readConfig({ NODE_ENV: "development", DATABASE_URL }).widget).toEqual({
      allowedOrigins: [],
      tokenSecret: undefined,
    });
    const message = problemsOf({
      NODE_ENV: "development",
      DATABASE_URL,
      WIDGET_ALLOWED_ORIGINS: "https://shop.example/, *, null",
      WIDGET_TOKEN_SECRET: "short-widget-secret",
    });
    expect(message).toContain(
      'WIDGET_ALLOWED_ORIGINS must be comma-separated origins such as https://shop.example (no path), got "https://shop.example/", "*", "null".',
    );
    expect(message).toContain("WIDGET_TOKEN_SECRET must be at least 32 characters long.");
    expect(message).not.toContain("short-widget-secret");
  });

  it("refuses a widget secret that is also the Shopify app's or better-auth's, without quoting it", () => {
    const shared = "shared-secret-0123456789abcdef-0123456789";
    for (const env of [
      { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: `newer-secret, ${shared}` },
      { BETTER_AUTH_SECRET: shared },
    ]) {
      const message = problemsOf({
        NODE_ENV: "development",
        DATABASE_URL,
        WIDGET_TOKEN_SECRET: shared,
        ...env,
      });
      expect(message).toContain(
        "WIDGET_TOKEN_SECRET must differ from SHOPIFY_API_SECRET and BETTER_AUTH_SECRET.",
      );
      expect(message).not.toContain(shared);
    }
  });
});

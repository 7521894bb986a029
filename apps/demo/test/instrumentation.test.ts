// The start-up check (instrumentation.ts's register, which Next.js runs when a server starts): a
// production server with a bad environment exits 1 with one message naming every bad variable,
// never a secret; outside production it only prints the message.
import { afterEach, describe, expect, it, vi } from "vitest";
import { register } from "../instrumentation";

const SECRETS = ["hunter2-db-password", "short-auth-s3cret", "cr0n-short", "shpss_topsecret"];

function startWith(env: Record<string, string>) {
  vi.stubEnv("NEXT_RUNTIME", "nodejs");
  for (const name of ["DATABASE_URL", "BETTER_AUTH_SECRET", "CRON_SECRET", "SHOPIFY_API_KEY"])
    vi.stubEnv(name, "");
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const printed: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
  const exit = vi.spyOn(process, "exit").mockImplementation((code) => {
    throw new Error(`exit ${code}`);
  });
  return { printed, exit };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("register() at server start", () => {
  it("exits 1 in production, naming each bad variable once, quoting no secret", async () => {
    const { printed, exit } = startWith({
      NODE_ENV: "production",
      DATABASE_URL: "mysql://app:hunter2-db-password@db.example.com/app",
      BETTER_AUTH_SECRET: "short-auth-s3cret",
      CRON_SECRET: "cr0n-short",
      SHOPIFY_API_SECRET: "shpss_topsecret",
      ADMIN_EMAILS: "ops@example.com,nobody",
    });
    await expect(register()).rejects.toThrow("exit 1");
    expect(exit).toHaveBeenCalledWith(1);
    expect(printed).toHaveLength(1);
    const message = printed[0] ?? "";
    for (const name of [
      "DATABASE_URL",
      "BETTER_AUTH_SECRET",
      "CRON_SECRET",
      "SHOPIFY_API_KEY",
      "ADMIN_EMAILS",
    ]) {
      expect(message.match(new RegExp(`^- ${name} `, "gm"))).toHaveLength(1);
    }
    expect(message).toContain('ADMIN_EMAILS must be comma-separated email addresses, got "nobody".');
    for (const secret of SECRETS) expect(message).not.toContain(secret);
  });

  it("starts a valid production environment, and only warns outside production", async () => {
    const valid = startWith({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://app@127.0.0.1/app",
      BETTER_AUTH_SECRET: "s".repeat(32),
    });
    await register();
    expect(valid.exit).not.toHaveBeenCalled();
    expect(valid.printed).toEqual([]);
    vi.restoreAllMocks();

    const development = startWith({ NODE_ENV: "development", DATABASE_URL: "", CHAT_RATE_LIMIT: "0" });
    await register();
    expect(development.exit).not.toHaveBeenCalled();
    expect(development.printed.join("\n")).toMatch(/DATABASE_URL is not set[\s\S]*CHAT_RATE_LIMIT must be/);
  });
});

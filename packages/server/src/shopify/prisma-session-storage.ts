import { Session } from "@shopify/shopify-api";

/**
 * A row of the `ShopifySession` model, in the shape of Shopify's
 * `@shopify/shopify-app-session-storage-prisma` schema.
 */
export interface ShopifySessionRow {
  id: string;
  shop: string;
  state: string;
  isOnline: boolean;
  scope: string | null;
  expires: Date | null;
  accessToken: string;
  userId: bigint | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  accountOwner: boolean;
  locale: string | null;
  collaborator: boolean | null;
  emailVerified: boolean | null;
  refreshToken: string | null;
  refreshTokenExpires: Date | null;
}

/**
 * The part of a Prisma model delegate (`prisma.shopifySession`) the storage uses. Structural, so
 * this package never imports an app's generated client.
 */
export interface ShopifySessionDelegate {
  upsert(args: {
    where: { id: string };
    create: ShopifySessionRow;
    update: ShopifySessionRow;
  }): Promise<unknown>;
  findUnique(args: { where: { id: string } }): Promise<ShopifySessionRow | null>;
  deleteMany(args: { where: { id: string } | { id: { in: string[] } } }): Promise<unknown>;
  findMany(args: { where: { shop: string } }): Promise<ShopifySessionRow[]>;
}

/**
 * Shopify's session storage interface over a Prisma model: the same five methods as
 * `@shopify/shopify-app-session-storage`'s `SessionStorage`, and the same field mapping as
 * Shopify's Prisma storage (the user id as a `BigInt`, `expires` as a date, user fields only for
 * online sessions).
 *
 * @example
 * const sessionStorage = new PrismaSessionStorage(prisma.shopifySession);
 * await sessionStorage.storeSession(session);
 * const offline = await sessionStorage.loadSession(`offline_${shop}`);
 */
export class PrismaSessionStorage {
  readonly #sessions: ShopifySessionDelegate;

  constructor(sessions: ShopifySessionDelegate) {
    if (!sessions || typeof sessions.findUnique !== "function") {
      throw new TypeError("PrismaSessionStorage takes a Prisma model delegate, e.g. prisma.shopifySession");
    }
    this.#sessions = sessions;
  }

  /** Saves the session, replacing one with the same id. Resolves `true`, as Shopify's storages do. */
  async storeSession(session: Session): Promise<boolean> {
    const row = sessionToRow(session);
    await this.#sessions.upsert({ where: { id: row.id }, create: row, update: row });
    return true;
  }

  /** The session with this id, or `undefined`. */
  async loadSession(id: string): Promise<Session | undefined> {
    const row = await this.#sessions.findUnique({ where: { id } });
    return row ? rowToSession(row) : undefined;
  }

  /** Deletes the session; `true` whether or not it existed. */
  async deleteSession(id: string): Promise<boolean> {
    await this.#sessions.deleteMany({ where: { id } });
    return true;
  }

  /** Deletes every session of `ids`; `true` whether or not they existed. */
  async deleteSessions(ids: string[]): Promise<boolean> {
    await this.#sessions.deleteMany({ where: { id: { in: ids } } });
    return true;
  }

  /** Every session of the shop, offline and online. */
  async findSessionsByShop(shop: string): Promise<Session[]> {
    const rows = await this.#sessions.findMany({ where: { shop } });
    return rows.map(rowToSession);
  }
}

function sessionToRow(session: Session): ShopifySessionRow {
  const user = session.isOnline ? session.onlineAccessInfo?.associated_user : undefined;
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    isOnline: session.isOnline,
    scope: session.scope ?? null,
    expires: session.expires ?? null,
    accessToken: session.accessToken ?? "",
    userId: user?.id === undefined ? null : BigInt(user.id),
    firstName: user?.first_name ?? null,
    lastName: user?.last_name ?? null,
    email: user?.email ?? null,
    accountOwner: user?.account_owner ?? false,
    locale: user?.locale ?? null,
    collaborator: user?.collaborator ?? false,
    emailVerified: user?.email_verified ?? false,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: session.refreshTokenExpires ?? null,
  };
}

function rowToSession(row: ShopifySessionRow): Session {
  const entries: [string, string | number | boolean][] = [
    ["id", row.id],
    ["shop", row.shop],
    ["state", row.state],
    ["isOnline", row.isOnline],
    ["accessToken", row.accessToken],
  ];
  if (row.scope !== null) entries.push(["scope", row.scope]);
  if (row.expires) entries.push(["expires", row.expires.getTime()]);
  if (row.refreshToken !== null) entries.push(["refreshToken", row.refreshToken]);
  if (row.refreshTokenExpires) entries.push(["refreshTokenExpires", row.refreshTokenExpires.getTime()]);
  // User fields belong to online sessions only; offline rows carry the columns' defaults.
  if (row.isOnline) {
    if (row.userId !== null) entries.push(["userId", String(row.userId)]);
    if (row.firstName !== null) entries.push(["firstName", row.firstName]);
    if (row.lastName !== null) entries.push(["lastName", row.lastName]);
    if (row.email !== null) entries.push(["email", row.email]);
    if (row.locale !== null) entries.push(["locale", row.locale]);
    entries.push(["accountOwner", row.accountOwner]);
    entries.push(["collaborator", row.collaborator ?? false]);
    entries.push(["emailVerified", row.emailVerified ?? false]);
  }
  return Session.fromPropertyArray(entries, true);
}

import { HttpError, isHttpError } from "../errors/http-error.js";

// Prisma's documented error codes (prisma.io/docs/orm/reference/error-reference).
const UNIQUE_CONSTRAINT_FAILED = "P2002";
const FOREIGN_KEY_CONSTRAINT_FAILED = "P2003";
const RECORD_NOT_FOUND = "P2025";

/**
 * Runs a Prisma call and turns the errors a caller can cause into `HttpError`s: a duplicate unique
 * value is 409, a missing row 404, a link to a missing row 404, data Prisma refuses 400. Messages
 * are ours: Prisma's name tables and columns, which callers need not see. Anything else is rethrown
 * for the boundary to log and mask.
 *
 * @example
 * const row = await withPrismaErrors(() => prisma.chat.create({ data }));
 */
export async function withPrismaErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isHttpError(error)) throw error;
    const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
    if (code === UNIQUE_CONSTRAINT_FAILED) {
      throw new HttpError("CONFLICT", "A record with the same unique value exists", { cause: error });
    }
    if (code === RECORD_NOT_FOUND) throw new HttpError("NOT_FOUND", "Record not found", { cause: error });
    if (code === FOREIGN_KEY_CONSTRAINT_FAILED) {
      throw new HttpError("NOT_FOUND", "A linked record was not found", { cause: error });
    }
    if (name === "PrismaClientValidationError") {
      throw new HttpError("VALIDATION_FAILED", "The data is incomplete or of the wrong type", {
        cause: error,
      });
    }
    throw error;
  }
}

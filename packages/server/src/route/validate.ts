import type { StandardSchemaV1 } from "@standard-schema/spec";
import { HttpError } from "../errors/http-error.js";

/** One failed check, as sent in the `details` of a `VALIDATION_FAILED` error. */
export interface ValidationIssue {
  /** Dotted path of the failing field (`items.0.sku`); empty for the value as a whole. */
  path: string;
  message: string;
}

const TARGET_NAMES = { body: "Request body", query: "Query string" } as const;

/**
 * `value` validated by a Standard Schema v1 schema: resolves to the schema's output, or throws
 * `VALIDATION_FAILED` (400) naming each failing field.
 *
 * @example
 * request.body = await validate(z.object({ name: z.string() }), request.body, "body");
 */
export async function validate(
  schema: StandardSchemaV1,
  value: unknown,
  target: keyof typeof TARGET_NAMES,
): Promise<unknown> {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return result.value;
  const details: ValidationIssue[] = result.issues.map((issue) => ({
    path: (issue.path ?? [])
      .map((segment) => String(typeof segment === "object" ? segment.key : segment))
      .join("."),
    message: issue.message,
  }));
  throw new HttpError("VALIDATION_FAILED", `${TARGET_NAMES[target]} failed validation`, { details });
}

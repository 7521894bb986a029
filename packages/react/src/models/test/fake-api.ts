// An in-memory models endpoint speaking the wire protocol, for driving the hooks in tests and
// benchmarks. Filters know `equals`, `in`, AND and OR; sorting and cursor paging follow the server.

export type Row = { id: string } & Record<string, unknown>;

export interface FakeRequest {
  method: string;
  path: string;
  query: unknown;
  headers: Headers;
}

export interface FakeApi {
  /** A fetch serving the endpoint; pass it to `SprocketProvider`. */
  fetch: typeof globalThis.fetch;
  tables: Record<string, Row[]>;
  requests: FakeRequest[];
  /** Answers the next request with this error instead. */
  failNext(error: { status: number; code: string; message?: string }): void;
  /** Holds every answer from now on until the returned function is called. */
  hold(): () => void;
}

type Answer = { status: number; body: unknown };

const DEFAULT_PAGE_SIZE = 50;

/**
 * A fake models endpoint over `tables`, served at `endpoint` on any origin.
 *
 * @example
 * const api = createFakeApi({ chat: [{ id: "c1", title: "Hello" }] });
 * render(<SprocketProvider fetch={api.fetch}><Chats /></SprocketProvider>);
 */
export function createFakeApi(tables: Record<string, Row[]>, { endpoint = "/api/models" } = {}): FakeApi {
  const failures: Answer[] = [];
  let gate: Promise<void> | undefined;
  let nextId = 1;
  const api: FakeApi = {
    tables,
    requests: [],
    failNext({ status, code, message = code }) {
      failures.push({ status, body: { error: { code, message, requestId: `req-${status}` } } });
    },
    hold() {
      let release = () => {};
      gate = new Promise((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      return release;
    },
    async fetch(input, init) {
      const url = new URL(String(input), "http://localhost");
      const method = init?.method ?? "GET";
      const queryText = url.searchParams.get("query");
      const query = queryText === null ? {} : JSON.parse(queryText);
      api.requests.push({ method, path: url.pathname, query, headers: new Headers(init?.headers) });
      const waitFor = gate;
      const answer = failures.shift() ?? route(method, url.pathname, query, init?.body);
      if (waitFor) await waitFor;
      await Promise.resolve();
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { "content-type": "application/json" },
      });
    },
  };

  function route(method: string, pathname: string, query: Record<string, unknown>, body: unknown): Answer {
    if (!pathname.startsWith(`${endpoint}/`)) return error(404, "NOT_FOUND", "No such route");
    const [model = "", rawId] = pathname.slice(endpoint.length + 1).split("/");
    const table = tables[model];
    if (!table) return error(404, "NOT_FOUND", `Unknown model ${model}`);
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    const input = typeof body === "string" ? JSON.parse(body) : {};
    if (method === "GET" && id === undefined) return findMany(table, query);
    if (method === "POST" && id === undefined) {
      const row = { id: `${model}-${nextId++}`, ...writable(input.data) };
      table.push(row);
      return { status: 201, body: { data: select(row, input.select) } };
    }
    const index = table.findIndex((row) => row.id === id);
    const row = table[index];
    if (!row) return error(404, "NOT_FOUND", `${model} ${id} not found`);
    if (method === "GET") return { status: 200, body: { data: select(row, query.select) } };
    if (method === "PATCH") {
      Object.assign(row, writable(input.data));
      return { status: 200, body: { data: select(row, input.select) } };
    }
    if (method === "DELETE") {
      table.splice(index, 1);
      return { status: 200, body: { data: { id } } };
    }
    return error(405, "METHOD_NOT_ALLOWED", method);
  }

  return api;
}

function error(status: number, code: string, message: string, details?: unknown): Answer {
  return { status, body: { error: { code, message, requestId: "req-1", ...(details ? { details } : {}) } } };
}

function findMany(table: Row[], query: Record<string, unknown>): Answer {
  const problem = filterProblem(query.filter, "filter");
  if (problem) return error(400, "INVALID_FILTER", `Unknown operator at ${problem}`, { path: problem });
  const sorts = (Array.isArray(query.sort) ? query.sort : query.sort ? [query.sort] : []) as Record<
    string,
    string
  >[];
  const order = [...sorts.flatMap((sort) => Object.entries(sort)), ["id", "Ascending"]];
  const rows = table
    .filter((row) => matches(row, query.filter))
    .sort((a, b) => {
      for (const [field, direction] of order) {
        const [x, y] = [a[field as string], b[field as string]] as [string, string];
        if (x !== y) return (x < y ? -1 : 1) * (direction === "Descending" ? -1 : 1);
      }
      return 0;
    });
  const isReversed = query.last !== undefined || query.before !== undefined;
  const size = ((isReversed ? query.last : query.first) as number | undefined) ?? DEFAULT_PAGE_SIZE;
  const cursor = (isReversed ? query.before : query.after) as string | undefined;
  const at = cursor === undefined ? -1 : rows.findIndex((row) => row.id === atob(cursor));
  const page = isReversed
    ? rows.slice(Math.max(0, (at === -1 ? rows.length : at) - size), at === -1 ? rows.length : at)
    : rows.slice(at + 1, at + 1 + size);
  const first = page[0] === undefined ? -1 : rows.indexOf(page[0]);
  const last = first + page.length - 1;
  return {
    status: 200,
    body: {
      data: page.map((row) => select(row, query.select)),
      pageInfo: {
        hasNextPage: page.length > 0 && last < rows.length - 1,
        hasPreviousPage: page.length > 0 && first > 0,
        startCursor: page[0] ? btoa(page[0].id) : null,
        endCursor: page.at(-1) ? btoa(page.at(-1)!.id) : null,
      },
    },
  };
}

function filterProblem(filter: unknown, path: string): string | undefined {
  if (filter === undefined) return undefined;
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key === "AND" || key === "OR") {
      for (const [index, item] of (value as unknown[]).entries()) {
        const problem = filterProblem(item, `${path}.${key}[${index}]`);
        if (problem) return problem;
      }
      continue;
    }
    for (const operator of Object.keys(value as object)) {
      if (operator !== "equals" && operator !== "in") return `${path}.${key}.${operator}`;
    }
  }
  return undefined;
}

function matches(row: Row, filter: unknown): boolean {
  if (filter === undefined) return true;
  return Object.entries(filter as Record<string, unknown>).every(([key, value]) => {
    if (key === "AND") return (value as unknown[]).every((item) => matches(row, item));
    if (key === "OR") return (value as unknown[]).some((item) => matches(row, item));
    const condition = value as { equals?: unknown; in?: unknown[] };
    if ("equals" in condition && row[key] !== condition.equals) return false;
    if (condition.in && !condition.in.includes(row[key])) return false;
    return true;
  });
}

function select(row: Row, selection: unknown): Row {
  if (selection === undefined) return { ...row };
  const picked: Row = { id: row.id };
  for (const [key, isSelected] of Object.entries(selection as Record<string, unknown>)) {
    if (isSelected && key in row) picked[key] = row[key];
  }
  return picked;
}

/** `{ chat: { _link: "c1" } }` becomes `{ chatId: "c1" }`, as the server stores a relation. */
function writable(data: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) =>
      typeof value === "object" && value !== null && "_link" in value
        ? [`${key}Id`, value._link]
        : [key, value],
    ),
  );
}

import { createApiClient, SprocketProvider } from "@sprocket/react";
import type { ReactNode } from "react";
import { SWRConfig } from "swr";
import { createFakeApi, type FakeApi, type Row } from "./fake-api.js";
import { FakeEventSource } from "./fake-event-source.js";

export interface Chat {
  id: string;
  title: string;
  status: "open" | "closed";
}

export interface Message {
  id: string;
  body: string;
  chatId: string;
}

type Equality<T> = { equals?: T; in?: T[] };

/** The shape the server's `ApiSchemaOf` gives an app with chats and messages. */
export type TestSchema = {
  chat: {
    record: Chat;
    filter: { id?: Equality<string>; title?: Equality<string>; status?: Equality<Chat["status"]> };
    sort: { title?: "Ascending" | "Descending"; id?: "Ascending" | "Descending" };
    select: { id?: boolean; title?: boolean; status?: boolean };
    create: { title: string; status?: Chat["status"] };
    update: { title?: string; status?: Chat["status"] };
  };
  message: {
    record: Message;
    filter: { chatId?: Equality<string> };
    sort: { id?: "Ascending" | "Descending" };
    select: { id?: boolean; body?: boolean; chatId?: boolean };
    create: { body: string; chat: { _link: string } };
    update: { body?: string };
  };
};

/** Four chats, sorted by title: Alpha, Bravo, Charlie, Delta. */
export function chatRows(): Row[] {
  return [
    { id: "c1", title: "Charlie", status: "open" },
    { id: "c2", title: "Alpha", status: "closed" },
    { id: "c3", title: "Delta", status: "open" },
    { id: "c4", title: "Bravo", status: "open" },
  ];
}

/**
 * A fake endpoint, a typed client for it and a wrapper giving each test its own SWR cache.
 *
 * @example
 * const { api, server, wrapper } = setup();
 * const { result } = renderHook(() => useFindMany(api.chat), { wrapper });
 */
export function setup(tables: Record<string, Row[]> = { chat: chatRows(), message: [] }): {
  api: ReturnType<typeof createApiClient<TestSchema>>;
  server: FakeApi;
  wrapper: (props: { children?: ReactNode }) => ReactNode;
} {
  const server = createFakeApi(tables);
  const api = createApiClient<TestSchema>({ EventSource: FakeEventSource });
  const cache = new Map();
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <SWRConfig value={{ provider: () => cache, dedupingInterval: 0 }}>
      <SprocketProvider fetch={server.fetch}>{children}</SprocketProvider>
    </SWRConfig>
  );
  return { api, server, wrapper };
}

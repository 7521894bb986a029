// Counts React commits and renders of a component that reads only `data`, through `useFindMany` and
// through a bare `useSWR` doing the same fetches, so a test can hold the hook to SWR's render count
// and `bench/react-commits.bench.tsx` can print the ratio.
import { type ApiClient, createApiClient, SprocketProvider, useFindMany, useSprocket } from "@sprocket/react";
import { act, render, waitFor } from "@testing-library/react";
import { Profiler, type ReactNode } from "react";
import useSWR, { type ScopedMutator, SWRConfig, useSWRConfig } from "swr";
import { expect } from "vitest";
import { createFakeApi, type FakeApi } from "./fake-api.js";
import { chatRows, type TestSchema } from "./test-api.js";

type Api = ApiClient<TestSchema>;

/** A hook that reads only `data` of the chat list, one per way of fetching it. */
export type DataReader = (api: Api) => unknown;

export const READERS: Readonly<Record<"useSWR" | "useFindMany", DataReader>> = {
  useSWR: () => {
    const { fetch } = useSprocket();
    return useSWR("/api/models/chat", async (path: string) => {
      const response = await fetch(path);
      if (!response.ok) throw new Error(`status ${response.status}`);
      return response.json();
    }).data;
  },
  useFindMany: (api) => useFindMany(api.chat)[0].data,
};

export const SCENARIOS = ["mount", "deep-equal revalidation", "error retry"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Counts {
  /** Commits of the reading component's tree (React Profiler `onRender` calls). */
  commits: number;
  /** Times the reading component's function ran. */
  renders: number;
  /** Requests the fake endpoint answered. */
  requests: number;
}

/**
 * Mounts a component reading only `data` through `reader` and counts its commits and renders for
 * `scenario`: the first load; a refetch answering deep-equal data; or a failed first load that
 * SWR retries until it succeeds.
 *
 * @example
 * const counts = await countCommits(READERS.useFindMany, "mount");
 */
export async function countCommits(reader: DataReader, scenario: Scenario): Promise<Counts> {
  const server: FakeApi = createFakeApi({ chat: chatRows() });
  const api = createApiClient<TestSchema>();
  const counts: Counts = { commits: 0, renders: 0, requests: 0 };
  let mutate!: ScopedMutator;
  let data: unknown;
  const onRead = (value: unknown) => {
    counts.renders++;
    data = value;
  };
  if (scenario === "error retry") server.failNext({ status: 500, code: "INTERNAL_SERVER_ERROR" });
  // A short retry interval keeps the retry quick on a real clock; SWR's backoff is random around it.
  const view = render(
    <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0, errorRetryInterval: 5 }}>
      <SprocketProvider fetch={server.fetch}>
        <MutateHandle
          onMutate={(value) => {
            mutate = value;
          }}
        >
          <Profiler id="reader" onRender={() => counts.commits++}>
            <Reader reader={reader} api={api} onRead={onRead} />
          </Profiler>
        </MutateHandle>
      </SprocketProvider>
    </SWRConfig>,
  );
  await waitFor(() => expect(data).toBeDefined());
  if (scenario === "deep-equal revalidation") {
    const before = server.requests.length;
    counts.commits = 0;
    counts.renders = 0;
    await act(() => mutate(() => true));
    await waitFor(() => expect(server.requests.length).toBe(before + 1));
    counts.requests = server.requests.length - before;
  } else {
    counts.requests = server.requests.length;
  }
  view.unmount();
  return counts;
}

function Reader({ reader, api, onRead }: { reader: DataReader; api: Api; onRead(data: unknown): void }) {
  onRead(reader(api));
  return null;
}

function MutateHandle({
  onMutate,
  children,
}: {
  onMutate(mutate: ScopedMutator): void;
  children: ReactNode;
}) {
  onMutate(useSWRConfig().mutate);
  return children;
}

/**
 * Every scenario's counts for every reader, in one run.
 *
 * @example
 * for (const row of await compareCommits()) console.log(row.scenario, row.useFindMany.commits / row.useSWR.commits);
 */
export async function compareCommits(): Promise<
  Array<{ scenario: Scenario } & Record<keyof typeof READERS, Counts>>
> {
  const rows = [];
  for (const scenario of SCENARIOS) {
    rows.push({
      scenario,
      useSWR: await countCommits(READERS.useSWR, scenario),
      useFindMany: await countCommits(READERS.useFindMany, scenario),
    });
  }
  return rows;
}

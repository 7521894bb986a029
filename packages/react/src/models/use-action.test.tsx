import { useAction, useFindMany, useFindOne } from "@sprocket/react";
import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { setup } from "./test/test-api.js";

type Api = ReturnType<typeof setup>["api"];
const openChats = { filter: { status: { equals: "open" as const } }, sort: { title: "Ascending" as const } };

function OpenChats({ api, seen }: { api: Api; seen: string[][] }) {
  const [{ data }] = useFindMany(api.chat, openChats);
  if (data) seen.push(data.map((chat) => chat.title));
  return <p>{data ? data.map((chat) => chat.title).join(",") : "loading"}</p>;
}

function AllChats({ api }: { api: Api }) {
  const [{ data }] = useFindMany(api.chat, { sort: { title: "Ascending" } });
  return <p>all:{data?.length}</p>;
}

type CreateChat = ReturnType<typeof useAction<Parameters<Api["chat"]["create"]>, unknown>>[1];

function Page({
  api,
  seen,
  showOpen,
  onCreate,
}: {
  api: Api;
  seen: string[][];
  showOpen: boolean;
  onCreate(create: CreateChat): void;
}) {
  onCreate(useAction(api.chat.create)[1]);
  return (
    <>
      <AllChats api={api} />
      {showOpen && <OpenChats api={api} seen={seen} />}
    </>
  );
}

describe("useAction", () => {
  it("creates a record, then a mounted list and an unmounted list both show it", async () => {
    const { api, server, wrapper: Wrapper } = setup();
    const seen: string[][] = [];
    let create!: CreateChat;
    const page = (showOpen: boolean) => (
      <Wrapper>
        <Page
          api={api}
          seen={seen}
          showOpen={showOpen}
          onCreate={(run) => {
            create = run;
          }}
        />
      </Wrapper>
    );
    const { rerender } = render(page(true));
    await screen.findByText("Bravo,Charlie,Delta");
    await screen.findByText("all:4");
    rerender(page(false));

    let result: Awaited<ReturnType<typeof create>> | undefined;
    await act(async () => {
      result = await create({ title: "Echo", status: "open" });
    });
    expect(result).toEqual({ data: { id: "chat-1", title: "Echo", status: "open" }, error: undefined });
    expect(server.requests.find((request) => request.method === "POST")).toMatchObject({
      path: "/api/models/chat",
    });
    expect(screen.getByText("all:5")).toBeTruthy();

    seen.length = 0;
    const requestsBefore = server.requests.length;
    rerender(page(true));
    await screen.findByText("Bravo,Charlie,Delta,Echo");
    // The rows cached before the write never came back on screen.
    expect(seen).toEqual([["Bravo", "Charlie", "Delta", "Echo"]]);
    expect(server.requests.length).toBe(requestsBefore + 1);
  });

  it("sends updates and deletes, and refreshes reads of one record", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(
      () => {
        // Read in render: SWR re-renders only for the fields a render read.
        const [{ data, error }] = useFindOne(api.chat, "c1");
        return {
          chat: { data, error },
          update: useAction(api.chat.update),
          remove: useAction(api.chat.delete),
        };
      },
      { wrapper },
    );
    await waitFor(() => expect(result.current.chat.data?.title).toBe("Charlie"));
    await act(() => result.current.update[1]("c1", { title: "Charles" }, { select: { title: true } }));
    expect(result.current.chat.data?.title).toBe("Charles");
    expect(result.current.update[0].data).toEqual({ id: "c1", title: "Charles" });
    const patch = server.requests.find((request) => request.method === "PATCH");
    expect(patch?.path).toBe("/api/models/chat/c1");
    expect(patch?.headers.get("content-type")).toBe("application/json");

    await act(() => result.current.remove[1]("c1"));
    expect(result.current.remove[0].data).toEqual({ id: "c1" });
    expect(result.current.chat.error).toMatchObject({ code: "NOT_FOUND" });
  });

  it("takes Gadget's one variables object: update({ id, ...fields }), delete({ id }), create({ model: fields })", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(
      () => ({
        create: useAction(api.chat.create),
        update: useAction(api.chat.update, { select: { title: true } }),
        remove: useAction(api.chat.delete),
      }),
      { wrapper },
    );
    // Flat, and under the model's name, as Gadget's hooks take them.
    await act(() => result.current.update[1]({ id: "c1", title: "Charles" }));
    expect(result.current.update[0].data).toEqual({ id: "c1", title: "Charles" });
    await act(() => result.current.update[1]({ id: "c1", chat: { title: "Chuck" } }));
    expect(server.tables.chat?.find((chat) => chat.id === "c1")?.title).toBe("Chuck");
    // The hook's select went with each update, as no call gave its own: only the title came back.
    expect(result.current.update[0].data).toEqual({ id: "c1", title: "Chuck" });
    const patches = server.requests.filter((request) => request.method === "PATCH");
    expect(patches.map((request) => request.path)).toEqual(["/api/models/chat/c1", "/api/models/chat/c1"]);

    let created: { data?: unknown } = {};
    await act(async () => {
      created = await result.current.create[1]({ chat: { title: "Delta", status: "open" } });
    });
    expect(created.data).toMatchObject({ title: "Delta", status: "open" });

    await act(() => result.current.remove[1]({ id: "c1" }));
    expect(result.current.remove[0].data).toEqual({ id: "c1" });
    expect(server.tables.chat?.some((chat) => chat.id === "c1")).toBe(false);
  });

  it("types Gadget's variables from the action, keeps a create's id, and refuses an update without one", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(
      () => ({
        create: useAction(api.chat.create)[1],
        update: useAction(api.chat.update)[1],
        remove: useAction(api.chat.delete)[1],
      }),
      { wrapper },
    );
    // Compile-time: a field the model lacks, a wrong type, a missing id.
    const mistakes = [
      // @ts-expect-error `titel` is no field of chat
      () => result.current.create({ titel: "x" }),
      // @ts-expect-error a title is a string
      () => result.current.create({ title: 42 }),
      // @ts-expect-error an update names its record
      () => result.current.update({ title: "no id" }),
      // @ts-expect-error a delete names its record
      () => result.current.remove({}),
    ];
    expect(mistakes).toHaveLength(4);

    let outcome: { error?: unknown } = {};
    await act(async () => {
      outcome = await (result.current.update as (variables: object) => Promise<{ error?: unknown }>)({
        title: "no id",
      });
    });
    expect(outcome.error).toBeDefined();
    expect(server.requests.some((request) => request.method === "PATCH")).toBe(false);

    await act(async () => {
      await result.current.create({ id: "chosen-id", title: "Echo" } as never);
    });
    // The id went with the fields (the fake server keeps a given id).
    expect(server.tables.chat?.find((chat) => chat.title === "Echo")?.id).toBe("chosen-id");
  });

  it("links relations with _link", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useAction(api.message.create), { wrapper });
    await act(() => result.current[1]({ body: "Hi", chat: { _link: "c1" } }));
    expect(server.tables.message).toEqual([{ id: "message-1", body: "Hi", chatId: "c1" }]);
  });

  it("resolves a failed write with its error instead of rejecting", async () => {
    const { api, server, wrapper } = setup();
    server.failNext({ status: 403, code: "FORBIDDEN", message: "Not yours" });
    const { result } = renderHook(() => useAction(api.chat.delete), { wrapper });
    let outcome: Awaited<ReturnType<(typeof result.current)[1]>> | undefined;
    await act(async () => {
      outcome = await result.current[1]("c1");
    });
    expect(outcome?.error).toMatchObject({ code: "FORBIDDEN", status: 403, message: "Not yours" });
    expect(result.current[0]).toMatchObject({ fetching: false, data: undefined });
    expect(result.current[0].error?.code).toBe("FORBIDDEN");
  });
});

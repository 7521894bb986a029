// jsdom has no EventSource; this one is driven by hand: open(), change(), drop() and fail().

type Listener = (event: MessageEvent) => void;

/**
 * A hand-driven `EventSource`. `FakeEventSource.instances` lists every stream opened, newest last.
 *
 * @example
 * createApiClient({ EventSource: FakeEventSource });
 * FakeEventSource.latest().open();
 * FakeEventSource.latest().change({ model: "chat", action: "create", id: "c3" });
 */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;

  readyState = FakeEventSource.CONNECTING;
  readonly withCredentials: boolean;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    readonly url: string,
    init?: { withCredentials?: boolean },
  ) {
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  static latest(): FakeEventSource {
    const latest = FakeEventSource.instances.at(-1);
    if (!latest) throw new Error("No EventSource was opened");
    return latest;
  }

  static reset(): void {
    FakeEventSource.instances = [];
  }

  /** The streams not closed by their owner. */
  static open(): FakeEventSource[] {
    return FakeEventSource.instances.filter((source) => source.readyState !== FakeEventSource.CLOSED);
  }

  addEventListener(type: string, listener: Listener): void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set.add(listener));
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.dispatch("open");
  }

  change(change: { model: string; action: string; id: string }): void {
    this.dispatch("change", JSON.stringify(change));
  }

  /** A dropped connection the browser retries by itself. */
  drop(): void {
    this.readyState = FakeEventSource.CONNECTING;
    this.dispatch("error");
  }

  /** A failure the browser gives up on. */
  fail(): void {
    this.readyState = FakeEventSource.CLOSED;
    this.dispatch("error");
  }

  private dispatch(type: string, data?: string): void {
    const event = new MessageEvent(type, { data });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

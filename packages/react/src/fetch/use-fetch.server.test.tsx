// @vitest-environment node
import { SprocketProvider, useFetch } from "@sprocket/react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

function Health() {
  const [{ data, fetching }] = useFetch("/api/health");
  return <p>{fetching ? "loading" : data}</p>;
}

describe("useFetch on a server", () => {
  it("renders the loading state of a GET and sends nothing", () => {
    expect(typeof window).toBe("undefined");
    const fetch = vi.fn<typeof globalThis.fetch>();
    const html = renderToString(
      <SprocketProvider fetch={fetch}>
        <Health />
      </SprocketProvider>,
    );
    expect(html).toBe("<p>loading</p>");
    expect(fetch).not.toHaveBeenCalled();
  });
});

import { describe, expect, it } from "vitest";
import { countCommits, READERS, SCENARIOS } from "./test/count-commits.js";

describe("render counts", () => {
  it.each(SCENARIOS)("useFindMany reading only data commits no more than useSWR: %s", async (scenario) => {
    const swr = await countCommits(READERS.useSWR, scenario);
    const findMany = await countCommits(READERS.useFindMany, scenario);
    expect(findMany.requests).toBe(swr.requests);
    expect(findMany.commits).toBeLessThanOrEqual(swr.commits);
    expect(findMany.renders).toBeLessThanOrEqual(swr.renders);
  });
});

// @vitest-environment jsdom
// React commits of a component reading only `data`: useFindMany against a bare useSWR doing the
// same fetches. Run: node_modules/.bin/vitest run --config bench/vitest.config.ts
import { it } from "vitest";
import { compareCommits } from "../packages/react/src/models/test/count-commits.js";

it("prints React commits per scenario, useFindMany / useSWR", async () => {
  const rows = await compareCommits();
  const table = rows.map(({ scenario, useSWR, useFindMany }) => ({
    scenario,
    "useSWR commits": useSWR.commits,
    "useFindMany commits": useFindMany.commits,
    ratio:
      useSWR.commits === 0
        ? useFindMany.commits === 0
          ? "1 (0/0)"
          : "∞"
        : (useFindMany.commits / useSWR.commits).toFixed(2),
    "useSWR renders": useSWR.renders,
    "useFindMany renders": useFindMany.renders,
    requests: useFindMany.requests,
  }));
  console.table(table);
});

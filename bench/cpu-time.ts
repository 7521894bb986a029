// CPU time per call, for benchmarks on a machine shared with other work: wall-clock means there
// count the time the process waits for a core, CPU time (process.cpuUsage) does not. Paths run in
// interleaved rounds, so a busy spell slows every path alike; the spread is over rounds.

/** Median, fastest and slowest round, in microseconds of CPU per call. */
export interface CpuTime {
  median: number;
  min: number;
  max: number;
}

/**
 * Times each path in `rounds` interleaved rounds of `iterations` calls. A path that returns a
 * promise is awaited; one that does not is called back to back, with no await.
 */
export async function cpuTimes(
  paths: Record<string, () => unknown>,
  { rounds = 9, iterations = 2000 }: { rounds?: number; iterations?: number } = {},
): Promise<Record<string, CpuTime>> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(paths)) samples[name] = [];
  for (let round = -1; round < rounds; round++) {
    for (const [name, path] of Object.entries(paths)) {
      const before = process.cpuUsage();
      for (let index = 0; index < iterations; index++) {
        const result = path();
        if (result instanceof Promise) await result;
      }
      const used = process.cpuUsage(before);
      // Round -1 warms up (JIT), and is not counted.
      if (round >= 0) samples[name]!.push((used.user + used.system) / iterations);
    }
  }
  const times: Record<string, CpuTime> = {};
  for (const [name, values] of Object.entries(samples)) {
    values.sort((left, right) => left - right);
    times[name] = { median: values[values.length >> 1]!, min: values[0]!, max: values[values.length - 1]! };
  }
  return times;
}

/** A Markdown table of `times`, with each path's multiple of `floor`'s median and `peer`'s multiple of it. */
export function cpuTable(times: Record<string, CpuTime>, floor: string, peer?: string): string {
  const rows = [
    `| path | µs CPU / call (median) | min-max over rounds | × ${floor} |${peer ? ` ${peer} × this |` : ""}`,
    `| --- | --- | --- | --- |${peer ? " --- |" : ""}`,
  ];
  for (const [name, time] of Object.entries(times)) {
    const ratio = (time.median / times[floor]!.median).toFixed(2);
    const versusPeer = peer ? ` ${(times[peer]!.median / time.median).toFixed(1)} |` : "";
    rows.push(
      `| ${name} | ${time.median.toFixed(2)} | ${time.min.toFixed(2)}-${time.max.toFixed(2)} | ${ratio} |${versusPeer}`,
    );
  }
  return rows.join("\n");
}

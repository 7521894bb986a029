/** The loader's budget: at most 5 KB after minifying and gzip. */
export const LOADER_BUDGET_BYTES: number;

/** Builds the loader and the frame into `outdir` (default: apps/demo/public) and returns their paths. */
export function buildWidget(options?: {
  outdir?: string;
}): Promise<{ loader: string; frame: string; styles: string }>;

// The chat widget's bundle sizes (README, "Chat widget bundles"): the loader and the frame as the
// demo builds them, against two frames built the same way in the same run: React alone rendering
// one element (the floor any React frame pays), and a minimal streaming chat on the AI SDK's
// `useCompletion` (a peer hook for the same job). Minified, then gzip -9 and brotli (quality 11).
// Usage: node bench/widget-size.mjs
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { buildWidget } from "../apps/demo/scripts/build-widget.mjs";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

const PEERS = {
  "react-only": `import { createRoot } from "react-dom/client";
createRoot(document.getElementById("root")).render(<p>Hello</p>);`,
  "ai-sdk-useCompletion": `import { useCompletion } from "@ai-sdk/react";
import { createRoot } from "react-dom/client";
function Chat() {
  const { completion, input, handleInputChange, handleSubmit } = useCompletion({ api: "/chat", streamProtocol: "text" });
  return <form onSubmit={handleSubmit}><p>{completion}</p><textarea value={input} onChange={handleInputChange} /></form>;
}
createRoot(document.getElementById("root")).render(<Chat />);`,
};

async function sizeOf(file) {
  const bytes = await readFile(file);
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const outdir = await mkdtemp(join(tmpdir(), "widget-size-"));
try {
  const { loader, frame, styles } = await buildWidget({ outdir });
  const rows = {
    "widget.js (loader)": await sizeOf(loader),
    "widget/frame.js": await sizeOf(frame),
    "widget/frame.css": await sizeOf(styles),
  };
  for (const [name, contents] of Object.entries(PEERS)) {
    const outfile = join(outdir, `${name}.js`);
    await build({
      stdin: { contents, loader: "jsx", resolveDir: BENCH_DIR },
      bundle: true,
      minify: true,
      legalComments: "none",
      format: "iife",
      target: ["es2022"],
      jsx: "automatic",
      define: { "process.env.NODE_ENV": '"production"' },
      outfile,
      logLevel: "error",
    });
    rows[`peer: ${name}`] = await sizeOf(outfile);
  }
  const floor = rows["peer: react-only"].gzip;
  console.log("bundle                        minified      gzip    brotli   gzip / react-only");
  for (const [name, { minified, gzip, brotli }] of Object.entries(rows)) {
    console.log(
      `${name.padEnd(28)} ${String(minified).padStart(9)} ${String(gzip).padStart(9)} ${String(brotli).padStart(9)}   ${(gzip / floor).toFixed(2)}`,
    );
  }
} finally {
  await rm(outdir, { recursive: true, force: true });
}

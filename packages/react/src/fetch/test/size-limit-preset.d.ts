// @size-limit/preset-small-lib ships no types: it is the list of plugins size-limit's API takes.
declare module "@size-limit/preset-small-lib" {
  const plugins: Array<(...args: unknown[]) => unknown>;
  export default plugins;
}

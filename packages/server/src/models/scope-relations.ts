import type { FilterNode } from "./parse-filter.js";

/** A filter node that accepts every row. */
export const EVERY_ROW: FilterNode = { type: "and", nodes: [] };
/** A filter node that accepts no row. */
export const NO_ROW: FilterNode = { type: "or", nodes: [] };

/**
 * `node` with every relation it reaches limited to the related rows the caller may read, so a
 * filter cannot learn anything about rows outside the caller's reach: a `belongsTo` matches only a
 * readable related row, and `some`, `none` and `every` quantify over readable children only.
 * Comparisons on this model's own foreign keys (`chat: { equals: id }`) read no related row and
 * stay as they are. `scopeOf` gives each related model's read scope by api name.
 *
 * @example
 * scopeRelations(parsedFilter, (model) => readScopes[model] ?? NO_ROW);
 */
export function scopeRelations(node: FilterNode, scopeOf: (model: string) => FilterNode): FilterNode {
  switch (node.type) {
    case "and":
    case "or":
      return { type: node.type, nodes: node.nodes.map((child) => scopeRelations(child, scopeOf)) };
    case "not":
      return { type: "not", node: scopeRelations(node.node, scopeOf) };
    case "compare":
      return node;
    case "belongsTo":
      return { ...node, node: both(scopeRelations(node.node, scopeOf), scopeOf(node.model)) };
    case "hasMany": {
      const inner = scopeRelations(node.node, scopeOf);
      const scope = scopeOf(node.model);
      // Every readable child matches: no readable child fails to match.
      if (node.quantifier === "every") {
        return { ...node, quantifier: "none", node: both(scope, { type: "not", node: inner }) };
      }
      return { ...node, node: both(inner, scope) };
    }
  }
}

function both(left: FilterNode, right: FilterNode): FilterNode {
  if (right === EVERY_ROW) return left;
  if (left === EVERY_ROW) return right;
  return { type: "and", nodes: [left, right] };
}

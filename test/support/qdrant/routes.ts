/**
 * Method + path → OpenAPI operationId. The table lists what the stand-in implements; a test checks that
 * every entry exists with the same operationId in the official document, so the routing cannot drift from
 * Qdrant's. Anything else gets Qdrant's (actix) 404 with an empty body.
 */
export interface Route {
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  names: string[];
}

const TABLE: [string, string, string][] = [
  ['GET', '/', 'root'],
  ['GET', '/healthz', 'healthz'],
  ['GET', '/livez', 'livez'],
  ['GET', '/readyz', 'readyz'],
  ['GET', '/cluster', 'cluster_status'],
  ['GET', '/telemetry', 'telemetry'],
  ['GET', '/aliases', 'get_collections_aliases'],
  ['GET', '/collections', 'get_collections'],
  ['GET', '/collections/{collection_name}', 'get_collection'],
  ['PUT', '/collections/{collection_name}', 'create_collection'],
  ['PATCH', '/collections/{collection_name}', 'update_collection'],
  ['DELETE', '/collections/{collection_name}', 'delete_collection'],
  ['GET', '/collections/{collection_name}/exists', 'collection_exists'],
  ['PUT', '/collections/{collection_name}/index', 'create_field_index'],
  ['DELETE', '/collections/{collection_name}/index/{field_name}', 'delete_field_index'],
  ['GET', '/collections/{collection_name}/cluster', 'collection_cluster_info'],
  ['GET', '/collections/{collection_name}/optimizations', 'get_optimizations'],
  ['GET', '/collections/{collection_name}/aliases', 'get_collection_aliases'],
  ['GET', '/collections/{collection_name}/points/{id}', 'get_point'],
  ['POST', '/collections/{collection_name}/points', 'get_points'],
  ['PUT', '/collections/{collection_name}/points', 'upsert_points'],
  ['POST', '/collections/{collection_name}/points/delete', 'delete_points'],
  ['PUT', '/collections/{collection_name}/points/vectors', 'update_vectors'],
  ['POST', '/collections/{collection_name}/points/vectors/delete', 'delete_vectors'],
  ['POST', '/collections/{collection_name}/points/payload', 'set_payload'],
  ['PUT', '/collections/{collection_name}/points/payload', 'overwrite_payload'],
  ['POST', '/collections/{collection_name}/points/payload/delete', 'delete_payload'],
  ['POST', '/collections/{collection_name}/points/payload/clear', 'clear_payload'],
  ['POST', '/collections/{collection_name}/points/batch', 'batch_update'],
  ['POST', '/collections/{collection_name}/points/scroll', 'scroll_points'],
  ['POST', '/collections/{collection_name}/points/count', 'count_points'],
  ['POST', '/collections/{collection_name}/facet', 'facet'],
  ['POST', '/collections/{collection_name}/points/query', 'query_points'],
  ['POST', '/collections/{collection_name}/points/query/batch', 'query_batch_points'],
  ['POST', '/collections/{collection_name}/points/search', 'search_points'],
];

export const ROUTES: Route[] = TABLE.map(([method, template, operationId]) => {
  const names: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_m, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  return { method, template, operationId, regex: new RegExp(`^${pattern}/?$`), names };
});

/** Literal segments win over parameters (`/collections/aliases` is not a collection named "aliases"). */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
    return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}

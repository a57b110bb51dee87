/** Public API of schema introspection, diffing and DDL rendering. */
export { introspectSchema, type IntrospectOptions } from './introspect-schema';
export { diffSchemas, countSchemaChanges } from './diff-schemas';
export { renderSchemaDiff, summarizeSchemaDiff } from './render-schema-diff';
export { renderSchemaDdl, type SchemaDdl } from './render-schema-ddl';
export type { Queryable } from './catalog-session';

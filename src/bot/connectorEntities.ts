import { createRequire } from 'node:module';

interface CompositeMapper {
  type: { name: string; additionalProperties?: { type: { name: string } } };
}

/**
 * botframework-connector 4.23 serialises an outgoing activity's entities through a
 * mapper that knows only `type`, `text` and `mentioned`, and silently drops every other
 * field: the diagnosis entity (design contract 1) would reach Teams and Slack as a bare
 * `{ type }`. Replies returned with expectReplies skip that serialiser, which is why
 * only real channels lose it. Declaring additional properties on the mapper keeps the
 * entity whole; it is the fix botbuilder-js once shipped (issue 2561) and lost again.
 */
export function keepEntityProperties(): void {
  const require = createRequire(import.meta.url);
  const mappers = require('botframework-connector/lib/connectorApi/models/mappers.js') as { Entity?: CompositeMapper };
  if (mappers.Entity === undefined) throw new Error('botframework-connector no longer exports the Entity mapper: check keepEntityProperties');
  mappers.Entity.type.additionalProperties = { type: { name: 'Object' } };
}

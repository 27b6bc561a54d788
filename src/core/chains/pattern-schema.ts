// JSON Schema (draft-07) of a pattern: Monaco uses it for completion and hover, and
// validatePattern interprets it (plus the cross-references a schema cannot express).

const ID = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'lower-case words joined by dashes' };
const FACT_VALUE = { type: ['string', 'number', 'boolean'] };

const query = {
  type: 'object',
  description: 'Which findings back this step: a detector and its kind(s), optionally filtered on facts.',
  required: ['detector'],
  additionalProperties: false,
  properties: {
    detector: {
      type: 'string',
      description: 'Detector name',
      examples: ['pleg', 'runtime', 'image-pulls', 'goroutines', 'kernel', 'io-pressure'],
    },
    kind: { type: 'string', description: 'One finding kind, e.g. relist-gap, cri-list-wait, io-window' },
    kinds: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Any of these finding kinds' },
    where: {
      type: 'array',
      description: 'Conditions on the finding facts; all must hold.',
      items: {
        type: 'object',
        required: ['fact', 'op', 'value'],
        additionalProperties: false,
        properties: {
          fact: { type: 'string', description: 'Fact name, e.g. gapSec, call, overlaySync' },
          op: { enum: ['eq', 'gte', 'lte', 'contains', 'in'] },
          value: { anyOf: [FACT_VALUE, { type: 'array', items: FACT_VALUE }] },
        },
      },
    },
  },
};

export const patternSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'causeway://pattern.schema.json',
  title: 'Causeway chain pattern',
  type: 'object',
  required: ['id', 'title', 'description', 'steps', 'links', 'remedy'],
  additionalProperties: false,
  properties: {
    id: ID,
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    steps: {
      type: 'array',
      minItems: 1,
      description: 'From the symptom down to the root cause.',
      items: {
        type: 'object',
        required: ['id', 'role', 'title', 'explanation', 'query', 'required', 'weight', 'missingHint'],
        additionalProperties: false,
        properties: {
          id: ID,
          role: { enum: ['symptom', 'blocked-call', 'lock-holder', 'resource', 'root-cause'] },
          title: { type: 'string', minLength: 1 },
          explanation: { type: 'string', description: '{fact} = the strongest finding fact, {count} = number of findings, {total} = sum of their count facts (1 for a finding without one)' },
          query,
          required: { type: 'boolean' },
          weight: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
          missingHint: { type: 'string', description: 'Which file would supply this evidence' },
        },
      },
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to', 'relation'],
        additionalProperties: false,
        properties: {
          from: { type: 'string', description: 'step id' },
          to: { type: 'string', description: 'step id' },
          relation: { enum: ['overlaps', 'precedes-within', 'follows-within'] },
          seconds: { type: 'number', minimum: 0, description: 'slack (overlaps) or maximum distance' },
        },
      },
    },
    absent: {
      type: 'array',
      description: 'Evidence that argues against this pattern when present near the chain.',
      items: {
        type: 'object',
        required: ['id', 'title', 'query'],
        additionalProperties: false,
        properties: {
          id: ID,
          title: { type: 'string', minLength: 1 },
          query,
          penalty: { type: 'number', minimum: 0, maximum: 1 },
          marginSeconds: { type: 'number', minimum: 0 },
        },
      },
    },
    remedy: {
      type: 'object',
      required: ['text', 'snippets', 'references'],
      additionalProperties: false,
      properties: {
        text: { type: 'string' },
        snippets: {
          type: 'array',
          items: {
            type: 'object',
            required: ['title', 'language', 'code'],
            additionalProperties: false,
            properties: { title: { type: 'string' }, language: { type: 'string' }, code: { type: 'string' } },
          },
        },
        references: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

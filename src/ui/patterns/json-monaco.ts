// Monaco with its JSON language service (completion and validation from a JSON Schema), for pattern
// editing. Reuses the log view's editor core and themes; adds the JSON worker, bundled locally.
import { monaco } from '../workspace/log/monaco';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { patternSchema } from '../../core/chains/pattern-schema';

self.MonacoEnvironment = { getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()) };

export const PATTERN_MODEL_SCHEME = 'causeway-pattern';

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false,
  schemas: [{ uri: 'causeway://pattern.schema.json', fileMatch: [`${PATTERN_MODEL_SCHEME}:*`], schema: patternSchema }],
});

export { monaco };

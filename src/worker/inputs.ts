import { inputFromBlob } from '../core/bundle/blob-inputs';
import type { InputFile } from '../core/bundle/types';
import { generateScenario } from '../core/scenarios';
import { openRawBlob } from '../store/raw-store';
import type { JobInput } from './protocol';

const encoder = new TextEncoder();

/** Adapts what a job names into the core's InputFile: a dropped File, a generated sample file, or stored raw bytes. */
export async function toInputFile(input: JobInput, bundleId: string): Promise<InputFile> {
  switch (input.kind) {
    case 'file':
      return inputFromBlob(input.file, input.path, input.file.lastModified);
    case 'scenario': {
      const file = generateScenario(input.scenario).files[input.index];
      if (!file) throw new Error(`sample file ${input.index} does not exist`);
      return {
        path: input.path,
        size: input.approxBytes,
        stream: () => generatorStream(file.chunks()),
      };
    }
    case 'stored': {
      const raw = await openRawBlob(bundleId, input.rawKey);
      return inputFromBlob(raw.slice(input.rawOffset, input.rawOffset + input.rawBytes), input.path);
    }
  }
}

function generatorStream(chunks: Generator<string>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

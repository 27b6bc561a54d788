import type { InputFile } from '../core/bundle/types';
import { generateScenario } from '../core/scenarios';
import type { JobInput } from './protocol';

const encoder = new TextEncoder();

/** Adapts what a job names into the core's InputFile: a dropped File, a generated sample file, or stored raw bytes. */
export async function toInputFile(input: JobInput, bundleId: string): Promise<InputFile> {
  switch (input.kind) {
    case 'file': {
      const f = input.file;
      return {
        path: input.path,
        size: f.size,
        lastModified: f.lastModified,
        stream: () => f.stream() as ReadableStream<Uint8Array>,
        slice: async (a: number, b: number) => new Uint8Array(await f.slice(a, b).arrayBuffer()),
      };
    }
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
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle(`bundle-${bundleId}`);
      const blob = (await (await dir.getFileHandle(input.rawKey)).getFile()).slice(input.rawOffset, input.rawOffset + input.rawBytes);
      return { path: input.path, size: input.rawBytes, stream: () => blob.stream() as ReadableStream<Uint8Array> };
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

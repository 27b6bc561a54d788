/**
 * walkInputs(): the dropped files → a sequence of entries to parse, expanding archives (gzip,
 * tar, zip, nested) on the fly. One input at a time, one entry at a time: an entry's stream
 * is read from the archive while the caller consumes it, so memory stays bounded whatever
 * the sizes. Damage is reported, never thrown: the walk goes on with the next input.
 */
import { InputContext, resolveOptions } from './context';
import { gunzipSource } from './gzip';
import { gunzippedName, memberPath, sanitizeMemberPath } from './paths';
import { SNIFF_BYTES, sniffArchive } from './sniff';
import { ByteSource, ownedChunk, peek } from './source';
import { tarMembers, type ArchiveMember } from './tar';
import type { BundleEntry, InputFile, WalkOptions, WalkProblem } from './types';
import { zipMembers } from './zip';

export { DEFAULT_WALK_OPTIONS } from './context';

/** Something to expand: an input, a decompressed stream or an archive member. */
interface Node {
  /** Display path used as the prefix of member paths ("outer.tar.gz"). */
  path: string;
  /** Display path if this turns out to be a plain file ("kubelet.log" for "kubelet.log.gz"). */
  leafPath: string;
  size: number | null;
  expandedSize: number | null;
  lastModified?: number;
  src: ByteSource;
  notes: string[];
}

export async function* walkInputs(
  inputs: InputFile[],
  opts: WalkOptions = {},
  onProblem: (p: WalkProblem) => void = () => {},
): AsyncGenerator<BundleEntry> {
  const options = resolveOptions(opts);
  for (const input of inputs) {
    options.signal?.throwIfAborted();
    const ctx = new InputContext(input.path, options, onProblem);
    const raw = rawSource(input, ctx);
    const node: Node = {
      path: input.path,
      leafPath: input.path,
      size: input.size,
      expandedSize: input.size,
      lastModified: input.lastModified,
      src: raw,
      notes: [],
    };
    try {
      yield* expand(ctx, node, 0);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      ctx.report(input.path, `could not read ${input.path}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      ctx.openEntry = null;
      await raw.cancel().catch(() => {});
    }
  }
}

async function* expand(ctx: InputContext, node: Node, depth: number): AsyncGenerator<BundleEntry> {
  const head = await peek(node.src, SNIFF_BYTES);
  const kind = sniffArchive(head);
  if (kind === 'plain' || ctx.stopped) {
    yield* leaf(ctx, node);
    return;
  }
  if (depth >= ctx.opts.maxDepth) {
    ctx.report(node.path, `${node.path} was not expanded: archives nested more than ${ctx.opts.maxDepth} deep`);
    yield* leaf(ctx, { ...node, leafPath: node.path });
    return;
  }
  if (kind === 'gzip') {
    const inner = gunzipSource(ctx, node.src, node.path);
    try {
      const innerHead = await peek(inner, SNIFF_BYTES);
      if (innerHead.length === 0 && inner.failed) return; // nothing readable; already reported
      const innerKind = sniffArchive(innerHead);
      // A tar or zip directly inside gzip is one level ("x.tar.gz"), a gzip inside gzip is two.
      const nextDepth = innerKind === 'tar' || innerKind === 'zip' ? depth : depth + 1;
      const child: Node = { ...node, leafPath: gunzippedName(node.leafPath), expandedSize: null, src: inner };
      yield* expand(ctx, child, nextDepth);
    } finally {
      await inner.cancel().catch(() => {});
    }
    return;
  }
  const members: AsyncGenerator<ArchiveMember> =
    kind === 'tar' ? tarMembers(node.src, node.path, ctx) : zipMembers(node.src, node.path, ctx);
  for await (const member of members) {
    ctx.throwIfAborted();
    if (ctx.stopped) break;
    ctx.pending = [];
    const clean = sanitizeMemberPath(member.name, kind === 'zip');
    if (!clean.path) continue;
    const path = memberPath(node.path, clean.path);
    yield* expand(
      ctx,
      {
        path,
        leafPath: path,
        size: member.size,
        expandedSize: member.expandedSize,
        lastModified: member.lastModified,
        src: member.src,
        notes: clean.note ? [clean.note] : [],
      },
      depth + 1,
    );
  }
}

/** Yields one entry whose stream pulls from the node's source on demand. */
async function* leaf(ctx: InputContext, node: Node): AsyncGenerator<BundleEntry> {
  let open = true;
  const close = (): void => {
    open = false;
    if (ctx.openEntry === entry) ctx.openEntry = null;
  };
  const entry: BundleEntry = {
    path: node.leafPath,
    size: node.size,
    expandedSize: node.expandedSize,
    lastModified: node.lastModified,
    archive: node.leafPath === ctx.input ? undefined : ctx.input,
    errors: ctx.pending,
    notes: node.notes.length > 0 ? node.notes : undefined,
    stream: new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (!open) {
            controller.error(new Error(`${node.leafPath}: read after the walk moved on to the next entry`));
            return;
          }
          try {
            ctx.throwIfAborted();
            const chunk = await node.src.read();
            if (chunk) {
              controller.enqueue(ownedChunk(chunk));
              return;
            }
            close();
            controller.close();
          } catch (error) {
            close();
            throw error;
          }
        },
        cancel: close,
      },
      { highWaterMark: 0 },
    ),
  };
  ctx.pending = [];
  ctx.openEntry = entry;
  yield entry;
  close();
}

/** The input's bytes, counted (for the expansion ratio) and abortable. */
function rawSource(input: InputFile, ctx: InputContext): ByteSource {
  const reader = input.stream().getReader();
  const signal = ctx.opts.signal;
  const onAbort = (): void => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return new ByteSource(
    async () => {
      ctx.throwIfAborted();
      const { done, value } = await reader.read();
      ctx.throwIfAborted();
      if (done) {
        signal?.removeEventListener('abort', onAbort);
        return null;
      }
      ctx.compressed += value.length;
      return value;
    },
    async (reason) => {
      signal?.removeEventListener('abort', onAbort);
      await reader.cancel(reason).catch(() => {});
    },
  );
}

/**
 * What the user dropped, in a form both the browser and Node can give: a name and a way to
 * read the bytes as a stream. Archives are expanded into more entries by walkInputs().
 */
export interface InputFile {
  /** Path relative to the drop (folder drops keep their folders: "node1/var/log/kubelet.log"). */
  path: string;
  size: number;
  lastModified?: number;
  stream(): ReadableStream<Uint8Array>;
  /** Reads bytes [start, end) without streaming the whole file (File.slice, a positioned read). Used by probeKey(). */
  slice?(start: number, end: number): Promise<Uint8Array>;
}

/** One file to parse: a plain file, or a member of an archive (possibly nested). */
export interface BundleEntry {
  /** Full display path: for archive members "bundle.tar.gz!/var/log/kubelet.log"; nested archives chain with "!/" too. */
  path: string;
  /** Bytes before decompression when known (null for members whose size is not known in advance). */
  size: number | null;
  /** Bytes the stream will deliver, when the archive says so in advance (tar and zip headers; plain files). */
  expandedSize?: number | null;
  lastModified?: number;
  /** The outermost archive this came from, if any. */
  archive?: string;
  /**
   * The entry's decompressed bytes. Must be read to the end (or cancelled) before the next entry is
   * produced; reading it after asking for the next entry errors. Each chunk owns its ArrayBuffer, so
   * it may be transferred to another thread.
   */
  stream: ReadableStream<Uint8Array>;
  /**
   * Errors met while expanding (truncated archive, size cap reached): they name the file. Complete
   * only once the stream has ended: check it after reading.
   */
  errors: string[];
  /** Harmless remarks (a member path that had to be sanitised, ...). */
  notes?: string[];
}

export interface WalkOptions {
  /** Stop expanding once this many decompressed bytes came out of one archive (decompression bombs). */
  maxExpandedBytes?: number;
  /** ... or once decompressed/compressed exceeds this ratio after `ratioGraceBytes`. */
  maxRatio?: number;
  ratioGraceBytes?: number;
  /** Deepest archive nesting followed. */
  maxDepth?: number;
  signal?: AbortSignal;
}

/** Something went wrong with an input as a whole; reported against its path, the walk goes on. */
export interface WalkProblem {
  path: string;
  message: string;
}

import { useRef } from 'react';
import { filesFromInput, type PickedFile } from '../drop';

export function Toolbar(props: { onFiles: (f: PickedFile[]) => void; onSample: () => void; busy: boolean; resumeTarget: string | null }) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  return (
    <div className="toolbar">
      {props.resumeTarget && <span className="hint">Resuming: pick or drop the same files again</span>}
      <button type="button" disabled={props.busy} onClick={() => files.current?.click()}>Open files…</button>
      <button type="button" disabled={props.busy} onClick={() => folder.current?.click()}>Open folder…</button>
      <button type="button" disabled={props.busy} onClick={props.onSample}>Load sample incident</button>
      <input
        ref={files} type="file" multiple hidden data-testid="file-input" aria-label="Open files"
        onChange={(e) => { props.onFiles(filesFromInput(e.currentTarget.files)); e.currentTarget.value = ''; }}
      />
      <input
        ref={folder} type="file" multiple hidden data-testid="folder-input" aria-label="Open folder"
        {...{ webkitdirectory: '' }}
        onChange={(e) => { props.onFiles(filesFromInput(e.currentTarget.files)); e.currentTarget.value = ''; }}
      />
    </div>
  );
}

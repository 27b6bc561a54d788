import { useState, type ReactNode } from 'react';
import { filesFromDataTransfer, type PickedFile } from '../drop';

export function DropZone(props: { onFiles: (files: PickedFile[]) => void; disabled: boolean; children: ReactNode }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={over ? 'dropzone over' : 'dropzone'}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        if (!props.disabled) setOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setOver(false);
      }}
      onDrop={async (e) => {
        e.preventDefault();
        setOver(false);
        if (props.disabled) return;
        props.onFiles(await filesFromDataTransfer(e.dataTransfer));
      }}
    >
      {props.children}
      {over && <div className="drop-overlay">Drop to load into Causeway (stays in this browser)</div>}
    </div>
  );
}

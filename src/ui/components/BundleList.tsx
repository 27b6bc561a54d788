import { useBundles, useDeleteBundle } from '../hooks/use-bundles';
import { displayName } from '../../core/display-text';
import { formatBytes } from '../format';
import { StorageInfo } from './StorageInfo';

export function BundleList(props: { openId: string | null; onOpen: (id: string | null) => void; onResume: (id: string) => void }) {
  const { data: bundles = [] } = useBundles();
  const del = useDeleteBundle();
  return (
    <nav aria-label="Stored bundles" data-testid="bundle-list">
      <h2>Bundles</h2>
      {bundles.length === 0 && <p className="muted">None stored yet.</p>}
      <ul className="bundle-list">
        {bundles.map((b) => (
          <li key={b.id} className={b.id === props.openId ? 'active' : ''} data-status={b.status}>
            <button type="button" className="link" onClick={() => props.onOpen(b.id)} title={b.name}>{displayName(b.name, 120)}</button>
            <div className="bundle-meta">
              <span className={`status ${b.status}`}>{b.status}</span>
              <span>{b.fileCount} files · {formatBytes(b.totalBytes)}</span>
            </div>
            <div className="bundle-actions">
              {b.status === 'incomplete' && <button type="button" onClick={() => props.onResume(b.id)}>Resume</button>}
              <button
                type="button"
                onClick={() => {
                  if (!confirm(`Delete "${displayName(b.name, 120)}" and its stored data from this browser?`)) return;
                  del.mutate(b.id);
                  if (b.id === props.openId) props.onOpen(null);
                }}
              >Delete</button>
            </div>
          </li>
        ))}
      </ul>
      <StorageInfo />
    </nav>
  );
}

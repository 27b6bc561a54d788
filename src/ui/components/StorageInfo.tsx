import { useQuery } from '@tanstack/react-query';
import { formatBytes } from '../format';
import { storageFacts } from '../storage';

/** Used / available browser storage and whether it is persistent (not evicted under pressure). */
export function StorageInfo() {
  const { data } = useQuery({ queryKey: ['bundles', 'storage'], queryFn: storageFacts });
  if (!data) return null;
  const pct = data.quota ? Math.min(100, (data.usage / data.quota) * 100) : 0;
  return (
    <div className="storage-info" data-testid="storage-info">
      <meter min={0} max={100} value={pct} high={85} aria-label="Browser storage used" />
      <div className="muted">
        {formatBytes(data.usage)} used of {formatBytes(data.quota)} ·{' '}
        {data.persisted ? 'persistent' : <span title="The browser may evict this data under storage pressure">not persistent</span>}
      </div>
    </div>
  );
}

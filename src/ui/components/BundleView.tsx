import { fmtZone } from '../../core/align';
import { displayName } from '../../core/display-text';
import { useBundleDetail, useSetBundleBoot, useSetBundleZone } from '../hooks/use-bundles';
import { formatBytes, zoneChoices } from '../format';
import { FileTable } from './FileTable';
import { Workspace } from '../workspace/Workspace';
import { ShareDialog } from '../share/ShareDialog';
import { useState } from 'react';

export function BundleView({ bundleId }: { bundleId: string }) {
  const { data, isLoading } = useBundleDetail(bundleId);
  const setZone = useSetBundleZone();
  const setBoot = useSetBundleBoot();
  const [sharing, setSharing] = useState(false);
  if (isLoading) return <p>Loading…</p>;
  if (!data) return <p role="alert">This bundle is not stored in this browser (deleted, or opened from another browser).</p>;
  const { bundle, files, sources } = data;
  const zone = bundle.userZoneOffsetMin ?? bundle.zoneOffsetMin;
  return (
    <section className="bundle-view" data-testid="bundle-view">
      <div className="bundle-head">
        <h2 title={bundle.name}>{displayName(bundle.name)}</h2>
        <span className={`status ${bundle.status}`} data-testid="bundle-status">{bundle.status}</span>
        <span>{files.length} files · {formatBytes(bundle.totalBytes)}</span>
        <span title={bundle.fingerprint}>SHA-256 {bundle.fingerprint.slice(0, 12) || '—'}</span>
        <button onClick={() => setSharing(true)} disabled={bundle.status !== 'ready'}>Share…</button>
        <label>
          Node zone{' '}
          <select
            aria-label="Node time zone"
            value={zone ?? 0}
            onChange={(e) => setZone.mutate({ bundleId, zoneOffsetMin: Number(e.currentTarget.value) })}
          >
            {zoneChoices(zone).map((z) => <option key={z} value={z}>UTC{fmtZone(z)}</option>)}
          </select>{' '}
          <span className="muted">{bundle.userZoneOffsetMin !== null ? '(set by you)' : bundle.zoneOffsetMin !== null ? '(inferred or assumed)' : ''}</span>
        </label>
        {sources.some((s) => s.time.basis === 'relative') && (
          <label>
            Boot time (UTC){' '}
            <input
              type="datetime-local" step="0.001" aria-label="Node boot time (UTC)"
              defaultValue={bundle.bootUs !== null ? new Date(bundle.bootUs / 1000).toISOString().slice(0, 23) : ''}
              onBlur={(e) => {
                const v = e.currentTarget.value;
                const ms = v ? Date.parse(`${v}Z`) : NaN;
                setBoot.mutate({ bundleId, bootUs: Number.isFinite(ms) ? ms * 1000 : null });
              }}
            />{' '}
            <span className="muted">{bundle.userBootUs !== null ? '(set by you)' : bundle.bootUs !== null ? '(from the logs)' : '(unknown: dmesg stamps are not placed)'}</span>
          </label>
        )}
      </div>
      {bundle.errors.length > 0 && (
        <ul className="problems" data-testid="bundle-errors">{bundle.errors.map((e, i) => <li key={i}>{e}</li>)}</ul>
      )}
      {sharing && <ShareDialog bundleId={bundleId} onClose={() => setSharing(false)} />}
      <Workspace bundleId={bundleId} files={<FileTable bundleId={bundleId} files={files} sources={sources} dumps={data.dumps} />} />
    </section>
  );
}

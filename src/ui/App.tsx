import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { markInterruptedBundles } from '../store/queries';
import { BundleList } from './components/BundleList';
import { DropZone } from './components/DropZone';
import { IngestPanel } from './components/IngestPanel';
import { Toolbar } from './components/Toolbar';
import type { PickedFile } from './drop';
import { currentBundleId, subscribeToFragment, useOpenBundleId } from './hooks/use-hash-route';
import { ingestFiles, ingestSample, ingestStore, warmUpWorkers } from './ingest-service';
import { trackBusy } from './busy';
import { installTestingHook } from './testing-hook';
import { pendingShare } from './share/pending';
import { useTrainHash } from './training/train-hash';
import { SCENARIO_FILE_SUFFIX } from '../core/training/file-names';
import { onDemand } from './components/on-demand';

// The first screen is the drop zone and the bundle list: the workspace, share and training pages (and
// the analysis, zod, Monaco and ECharts behind them) load when first shown.
const loading = <p className="muted">Loading…</p>;
const BundleView = onDemand(() => import('./components/BundleView').then((m) => m.BundleView), loading);
const ShareLanding = onDemand(() => import('./share/ShareLanding').then((m) => m.ShareLanding), loading);
const TrainingRoute = onDemand(() => import('./training/TrainingRoute').then((m) => m.TrainingRoute), loading);

function readShareToken(): string | null {
  const m = /^#\/s\/(.+)$/.exec(location.hash);
  return m ? m[1]! : null;
}

export function App() {
  const qc = useQueryClient();
  const [bundleId, openBundle] = useOpenBundleId();
  const ingest = useSyncExternalStore(ingestStore.subscribe, ingestStore.get);
  const [resumeTarget, setResumeTarget] = useState<string | null>(null);
  const shareToken = useSyncExternalStore(subscribeToFragment, readShareToken);
  const trainHash = useTrainHash();
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  // The workspace wants the width; the bundle list folds away (remembered).
  const [sidebarOpen, setSidebarOpen] = useState(() => localStorage.getItem('causeway.sidebar') !== 'closed');

  useEffect(() => {
    installTestingHook(qc, currentBundleId);
    // Only on the home screen, where files are about to be dropped: on a bundle's page the warm-up
    // would take the cores its first paint needs (two workers, two cores).
    if (!currentBundleId() && !readShareToken() && !location.hash.startsWith('#/train')) warmUpWorkers();
    void trackBusy(async () => {
      if ((await markInterruptedBundles(null)) > 0) await qc.invalidateQueries();
    });
  }, [qc]);

  // The bundle opens when the ingest ends: its code loads meanwhile, not after. Not at the drop:
  // compiling it there delayed the first job by ~80 ms; by now the workers have their jobs.
  const ingesting = ingest.progress?.phase === 'ingesting';
  useEffect(() => {
    if (ingesting) void BundleView.preload();
  }, [ingesting]);

  const onFiles = async (all: PickedFile[]) => {
    setFileProblem(null);
    // A training scenario file starts its exercise instead of being ingested as a zip of logs.
    const scenario = all.find((f) => f.path.endsWith(SCENARIO_FILE_SUFFIX));
    if (scenario) {
      const { importScenario } = await import('./training/custom-scenario');
      await importScenario(scenario.file, qc).catch((e: unknown) => setFileProblem(`${scenario.path}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    // A hand-over archive (logs + analysis) opens straight into the analysed workspace.
    const handover = all.find((f) => f.path.endsWith('.causeway.zip'));
    if (handover) {
      const { openHandover } = await import('./share/handover');
      const problem = await openHandover(handover, qc).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      if (problem) setFileProblem(`${handover.path}: ${problem}`);
      return;
    }
    // An analysis file opens like a share link; the rest of the drop is ingested as usual.
    const analysis = all.filter((f) => f.path.endsWith('.causeway.json'));
    const files = all.filter((f) => !f.path.endsWith('.causeway.json'));
    if (analysis.length > 0) {
      const { tokenFromAnalysisFile } = await import('./share/analysis-file');
      const got = await tokenFromAnalysisFile(await analysis[0]!.file.text());
      if ('error' in got) setFileProblem(`${analysis[0]!.path}: ${got.error}`);
      else if (files.length === 0) { location.hash = `#/s/${got.token}`; return; }
    }
    if (files.length === 0) return;
    const outcome = await ingestFiles(files, qc, resumeTarget ?? undefined);
    setResumeTarget(null);
    const shared = pendingShare.get();
    if (shared && outcome?.bundleId) {
      const { restoreShared } = await import('./share/restore');
      const restored = await restoreShared(shared, outcome.bundleId);
      if (restored) { pendingShare.set(null); return; }
      pendingShare.set(shared, `The dropped files are not the shared bundle "${shared.bundle.name}" (different SHA-256 fingerprint). They were stored as a bundle of their own; the shared view needs the same files.`);
      return;
    }
    if (outcome?.bundleId) openBundle(outcome.bundleId);
  };
  const onSample = async () => {
    const outcome = await ingestSample(qc);
    if (outcome?.bundleId) openBundle(outcome.bundleId);
  };

  return (
    <DropZone onFiles={onFiles} disabled={ingest.running}>
      <div className="app">
        <header className="app-header">
          <h1>Causeway</h1>
          <span className="tagline">node incident triage — your logs never leave this page</span>
          <Toolbar onFiles={onFiles} onSample={onSample} busy={ingest.running} resumeTarget={resumeTarget} />
          <a href="#/train" className="train-link" data-testid="training-link-nav">Training</a>
        </header>
        <IngestPanel state={ingest} />
        <div className={`app-body${sidebarOpen ? '' : ' sidebar-closed'}`}>
          <aside className="sidebar">
            <button
              className="sidebar-toggle" aria-expanded={sidebarOpen} aria-controls="bundle-sidebar"
              title={sidebarOpen ? 'Hide the bundle list' : 'Show the bundle list'}
              onClick={() => { setSidebarOpen(!sidebarOpen); localStorage.setItem('causeway.sidebar', sidebarOpen ? 'closed' : 'open'); }}
            >{sidebarOpen ? '⟨' : '⟩'}<span className="visually-hidden"> bundle list</span></button>
            <div id="bundle-sidebar" hidden={!sidebarOpen}>
              <BundleList openId={bundleId} onOpen={openBundle} onResume={setResumeTarget} />
            </div>
          </aside>
          <main className="main">
            {fileProblem && <p role="alert" className="problems" data-testid="file-problem">{fileProblem}</p>}
            {trainHash ? <TrainingRoute hash={trainHash} /> : shareToken ? <ShareLanding key={shareToken} token={shareToken} /> : bundleId ? <BundleView bundleId={bundleId} /> : <EmptyState />}
          </main>
        </div>
      </div>
    </DropZone>
  );
}

function EmptyState() {
  return (
    <div className="empty">
      <h2>Drop a node's logs here</h2>
      <p>
        Files, folders or archives (.tar, .tar.gz, .tgz, .gz, .zip) of kubelet, containerd and shim logs, goroutine dumps,
        PSI, iostat, vmstat, dmesg and journald exports. Everything is parsed and stored in this browser only.
      </p>
      <p>No bundle at hand? Use <strong>Load sample incident</strong> above.</p>
    </div>
  );
}

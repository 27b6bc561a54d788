import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { briefing, randomSeed, trainingOptions, trainingScenario } from '../../core/training/library';
import { ingestSample } from '../ingest-service';
import { exerciseStore } from './exercise-store';
import { exerciseHash, type ExerciseLink } from './route';

/** One start per link even when React runs effects twice (StrictMode) or the page re-renders. */
const starting = new Map<string, Promise<string>>();

async function start(link: ExerciseLink & { seed: number }, qc: ReturnType<typeof useQueryClient>): Promise<string> {
  const s = trainingScenario(link.scenario)!;
  const outcome = await ingestSample(qc, trainingOptions(link.scenario, link.seed), `Training: ${s.title} (seed ${link.seed})`);
  if (!outcome?.bundleId) throw new Error('another ingest is running: try again when it ends');
  if (outcome.status !== 'ready') throw new Error(outcome.problems.join('; ') || `the bundle is ${outcome.status}`);
  exerciseStore.start({
    bundleId: outcome.bundleId, scenario: link.scenario, title: s.title, seed: link.seed, hints: link.hints, minutes: link.minutes,
    briefing: briefing(link.scenario, link.seed), startedAt: Date.now(), pins: [], remedy: null, hintsUsed: [],
  });
  return outcome.bundleId;
}

/** #/train/<scenario>?seed=…: generates and ingests the bundle, then opens it in exercise mode. */
export function ExerciseStart({ link }: { link: ExerciseLink }) {
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (link.seed === null) {
      // A link without a seed gets one now, so the trainee's attempt names the bundle it was on.
      location.replace(exerciseHash({ ...link, seed: randomSeed() }));
      return;
    }
    const id = location.hash;
    let p = starting.get(id);
    if (!p) {
      p = start({ ...link, seed: link.seed }, qc);
      starting.set(id, p);
      void p.finally(() => setTimeout(() => starting.delete(id), 1000));
    }
    p.then((bundleId) => { if (location.hash === id) location.replace(`#/bundle/${bundleId}`); }, (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
  }, [link, qc]);
  const s = trainingScenario(link.scenario)!;
  return (
    <section className="exercise-start" data-testid="exercise-start">
      <h2>Exercise: {s.title}</h2>
      {problem ? <p role="alert" className="problems">Could not start: {problem}</p> : <p>Generating the node's logs (seed {link.seed ?? '…'}) and reading them in…</p>}
    </section>
  );
}

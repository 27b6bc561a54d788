import { db, type StoredAttempt } from './db';

export async function saveAttempt(a: StoredAttempt): Promise<void> {
  await db().attempts.put(a);
}

/** Newest first. */
export async function listAttempts(): Promise<StoredAttempt[]> {
  return (await db().attempts.orderBy('createdAt').toArray()).reverse();
}

export async function deleteAttempts(): Promise<void> {
  await db().attempts.clear();
}

/**
 * What a thief with a copy of the hub's database, but not its selector keys, can still learn, measured on the loaded
 * index: a frequency attack on the keyed trigram letters (rank the letters by how often they occur, rank the trigrams
 * of a reference set of handles the same way, and pair them off), handle lengths, and which selectors two orgs share.
 * The key is used only to score the guesses.
 */
import type pg from "pg";
import { handleTrigrams, trigramLetter, type SelectorKeyRing } from "@interforce/auth";
import { nearDuplicateHandles, rng } from "./generate.js";

export interface AttackResult {
  pointers: number;
  letters: number;
  /** Share of letter occurrences whose trigram the frequency attack guessed right. */
  decodedOccurrences: number;
  /** Share of distinct letters guessed right. */
  decodedLetters: number;
  /** Handles whose every trigram was guessed right, so the handle is read in full. */
  handlesReadInFull: number;
  /** Selectors held by two or more orgs: visible as equal keyed values. */
  sharedAcrossOrgs: number;
  /** Covert pointers: the flag is stored plain for deconfliction. */
  covert: number;
}

export async function frequencyAttack(hub: pg.Client, keys: SelectorKeyRing, opts: { referenceHandles?: number; sample?: number } = {}): Promise<AttackResult> {
  const key = keys.current;
  const counts = await hub.query<{ w: string; n: string }>(
    `SELECT w, count(*)::text AS n FROM selector_pointer, unnest(string_to_array(handle_words, ' ')) AS w WHERE key_id = $1 GROUP BY w`,
    [key.id],
  );
  const observed = counts.rows.map((r) => ({ letter: r.w, n: Number(r.n) })).sort((a, b) => b.n - a.n);
  // The thief's reference: handles drawn from the same distribution as the index (the best case for the thief).
  const reference = new Map<string, number>();
  for (const h of nearDuplicateHandles(rng(991), opts.referenceHandles ?? 400_000)) {
    for (const t of handleTrigrams(h)) reference.set(t, (reference.get(t) ?? 0) + 1);
  }
  const ranked = [...reference.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const guess = new Map<string, string>();
  observed.forEach((o, i) => {
    if (ranked[i]) guess.set(o.letter, ranked[i]);
  });
  let right = 0;
  let rightOccurrences = 0;
  let occurrences = 0;
  const correct = new Set<string>();
  for (const o of observed) {
    occurrences += o.n;
    const g = guess.get(o.letter);
    if (g && trigramLetter(key, g) === o.letter) {
      right++;
      rightOccurrences += o.n;
      correct.add(o.letter);
    }
  }
  const sample = await hub.query<{ handle_words: string }>(`SELECT handle_words FROM selector_pointer WHERE handle_words IS NOT NULL LIMIT $1`, [
    opts.sample ?? 100_000,
  ]);
  const full = sample.rows.filter((r) => r.handle_words.split(" ").every((l) => correct.has(l))).length;
  const shared = await hub.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM (SELECT selector FROM selector_pointer GROUP BY selector HAVING count(DISTINCT org) > 1) s`,
  );
  const total = await hub.query<{ n: string; covert: string }>(
    `SELECT count(*)::text AS n, count(*) FILTER (WHERE covert)::text AS covert FROM selector_pointer`,
  );
  return {
    pointers: Number(total.rows[0]!.n),
    letters: observed.length,
    decodedOccurrences: rightOccurrences / Math.max(occurrences, 1),
    decodedLetters: right / Math.max(observed.length, 1),
    handlesReadInFull: full / Math.max(sample.rows.length, 1),
    sharedAcrossOrgs: Number(shared.rows[0]!.n),
    covert: Number(total.rows[0]!.covert),
  };
}

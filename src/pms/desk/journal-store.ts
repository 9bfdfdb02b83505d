import type { JournalEntry as StoredJournalEntry, Repos } from '../../store/index.ts';
import { JOURNAL_KINDS, journalEntry, type JournalEntry, type JournalKind, type PmsRole } from '../journal/journal-entry.ts';

const isKind = (s: string): s is JournalKind => (JOURNAL_KINDS as readonly string[]).includes(s);

/** The store row for a PMS journal entry: the full entry rides in `refs.entry`, symbols in tags. */
export function toStoredJournal(e: JournalEntry): StoredJournalEntry {
  const head = e.rationale.length > 80 ? `${e.rationale.slice(0, 77)}...` : e.rationale;
  return {
    fundId: e.fundId,
    at: e.timestamp,
    author: e.who,
    kind: e.kind,
    title: `${e.kind}: ${head}`,
    body: e.rationale,
    tags: [...e.symbols, ...(e.agentId ? [`agent:${e.agentId}`] : [])],
    refs: { entry: e },
  };
}

function isEntry(x: unknown): x is JournalEntry {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.id === 'string' && typeof o.kind === 'string' && typeof o.who === 'string' && typeof o.rationale === 'string'
    && typeof o.timestamp === 'string' && Array.isArray(o.symbols) && typeof o.links === 'object' && o.links !== null;
}

/** Reads a stored journal row back as a PMS entry (rows written by others are mapped field by field). */
export function fromStoredJournal(row: StoredJournalEntry & { id: number }): JournalEntry {
  const inner = row.refs.entry;
  if (isEntry(inner)) return { ...inner, timestamp: row.at };
  const agentTag = row.tags.find((t) => t.startsWith('agent:'));
  return journalEntry({
    id: `j${row.id}`,
    fundId: row.fundId,
    kind: isKind(row.kind) ? row.kind : 'NOTE',
    who: row.author,
    role: 'system' as PmsRole | 'system',
    rationale: row.body !== '' ? row.body : row.title,
    timestamp: row.at,
    agentId: agentTag ? agentTag.slice('agent:'.length) : null,
    symbols: row.tags.filter((t) => !t.includes(':')),
  });
}

/** Writes a PMS journal entry (inside the caller's transaction when `tx` is one). Returns the row id. */
export function addJournalEntry(tx: Pick<Repos, 'journal'>, e: JournalEntry): Promise<number> {
  return tx.journal.add(toStoredJournal(e));
}

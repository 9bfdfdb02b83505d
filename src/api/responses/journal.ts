import { z } from 'zod';
import { isoTime, PMS_ROLES } from '../../contracts/index.ts';
import { JOURNAL_KINDS } from '../../pms/index.ts';

/** One decision-journal entry: who (a user or `system:<component>`), in which role, why, and what it links to. */
export const JournalEntry = z.object({
  id: z.string(), fundId: z.string(), kind: z.enum(JOURNAL_KINDS), who: z.string(), role: z.enum([...PMS_ROLES, 'system']),
  rationale: z.string(), timestamp: isoTime, agentId: z.string().nullable(), symbols: z.array(z.string()),
  links: z.object({ decisionIds: z.array(z.string()), orderIds: z.array(z.string()), fillIds: z.array(z.string()), proposalIds: z.array(z.string()) }),
});
/** A search hit: the entry and its relevance score (null without a text query). */
export const JournalHit = JournalEntry.extend({ score: z.number() });
export const JournalAnswer = z.object({ entries: z.array(JournalHit) });
export const JournalNoted = z.object({ entry: JournalEntry });

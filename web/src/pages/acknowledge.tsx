import { useState } from 'react';
import { ApiError, post } from '../api/client.ts';
import type { AlertAcknowledged } from '../api/types.ts';
import { Button } from '../design/index.ts';
import { can, useSession } from '../session.ts';

/**
 * Acknowledges alerts of the fund (pm, risk, admin; nothing for other roles): one POST per alert,
 * an alert someone else acknowledged meanwhile (409) counts as done. `onDone` gets the answers.
 */
export function AcknowledgeButton(p: { alertIds: readonly string[]; onDone: (acks: readonly AlertAcknowledged[]) => void; testId?: string }) {
  const { base, user } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!can(user, 'acknowledge') || p.alertIds.length === 0) return null;
  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    const acks: AlertAcknowledged[] = [];
    try {
      for (const id of p.alertIds) {
        const a = await post<AlertAcknowledged>(`${base}/alerts/${encodeURIComponent(id)}/acknowledge`, {}).catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 409) return null;
          throw e;
        });
        if (a) acks.push(a);
      }
      p.onDone(acks);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="sm" onClick={() => void acknowledge()} disabled={busy} data-testid={p.testId}>
        {busy ? 'Acknowledging…' : 'Acknowledge'}
      </Button>
      {error ? <span className="tone-breach"> {error}</span> : null}
    </>
  );
}

import { useState, type ReactNode } from 'react';

/**
 * A modal confirmation that needs a written reason (every operator action is journalled with
 * who and why). `onConfirm` gets the trimmed reason; a rejected promise shows its message.
 */
export function ConfirmDialog(p: {
  title: string;
  body?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  reasonLabel?: string;
  children?: ReactNode;
  onConfirm: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ok = reason.trim().length > 0 && !busy;
  const submit = async () => {
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      await p.onConfirm(reason.trim());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <div className="overlay-bg" role="presentation" onKeyDown={(e) => e.key === 'Escape' && p.onCancel()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={p.title} data-testid="confirm-dialog">
        <h2>{p.title}</h2>
        {p.body !== undefined ? <div style={{ marginBottom: 12 }}>{p.body}</div> : null}
        {p.children}
        <label className="field">
          {p.reasonLabel ?? 'Reason (required, journalled)'}
          <textarea name="reason" value={reason} autoFocus onChange={(e) => setReason(e.target.value)} />
        </label>
        {error !== null ? <div className="err" role="alert">{error}</div> : null}
        <div className="actions">
          <button type="button" className="btn" onClick={p.onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={`btn ${p.danger ? 'btn-danger' : 'btn-primary'}`} disabled={!ok} onClick={() => void submit()} data-testid="confirm-button">
            {busy ? 'Working…' : p.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

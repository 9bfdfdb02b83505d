import { useState } from 'react';
import { post } from '../api/client.ts';
import type { User } from '../api/types.ts';

/** Sign in with a user name and API key; the server sets an HttpOnly session cookie. */
export function LoginPage(p: { onLogin: (u: User) => void }) {
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ user: User }>('/v1/session', { name: name.trim(), key: key.trim() });
      p.onLogin(r.user);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>Keel</h1>
        <div className="sub">Sign in with your user name and API key.</div>
        <label className="field">
          User
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <label className="field">
          API key
          <input name="key" type="password" autoComplete="current-password" value={key} onChange={(e) => setKey(e.target.value)} />
        </label>
        {error !== null ? (
          <div className="state-error" role="alert" style={{ marginBottom: 8 }}>
            {error}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || name.trim() === '' || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <div className="muted" style={{ marginTop: 16, fontSize: 12 }}>
          Keys come from <code>keel user add &lt;name&gt; --role &lt;role&gt;</code>.
        </div>
      </form>
    </div>
  );
}

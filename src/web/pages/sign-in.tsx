/** Sign-in: the user pastes an API token (`absolve tokens create --role read|write`); it is checked, then kept for this tab only. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, setToken } from '../api.ts';

export function SignIn(): ReactNode {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const token = value.trim();
    if (token === '') return setError('Paste an API token first.');
    setBusy(true);
    setError(null);
    try {
      await api.check(token);
      setToken(token);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That token is unknown or revoked.' : err instanceof Error ? err.message : 'Sign-in failed.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">A</span> Absolve
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">
          Use an API token of this server. Create one with <code>absolve tokens create --role write</code> (a read token can look but not act).
        </p>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" spellCheck={false} value={value} onChange={(e) => setValue(e.target.value)} placeholder="absolve_…" required />
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="button button-primary" type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="fine">The token is kept in this tab’s session storage and sent only to this server.</p>
      </form>
    </main>
  );
}

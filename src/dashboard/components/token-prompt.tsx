import { useState } from 'preact/hooks';
import { setToken } from '../api/session.js';
import { signIn } from '../api/sign-in.js';

/**
 * Asks for an API token when the server has tokens. The token is kept in
 * sessionStorage (this tab only) and sent as a bearer token.
 */
export function TokenPrompt({ refused }: { refused: boolean }) {
  const [value, setValue] = useState('');
  return (
    <main class="signin" id="main">
      <form
        class="card signin-card"
        onSubmit={(event) => {
          event.preventDefault();
          if (!value.trim()) return;
          setToken(value.trim());
          void signIn();
        }}
      >
        <h1>Docket</h1>
        <p>
          This server needs an API token. An admin token can operate jobs and queues; a read token can look.
        </p>
        {refused && (
          <p class="notice notice-error" role="alert">
            The server refused that token. Check it and try again.
          </p>
        )}
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        <p class="hint">Kept in this tab only (sessionStorage), until you sign out or close it.</p>
        <button type="submit" class="button button-primary">
          Sign in
        </button>
      </form>
    </main>
  );
}

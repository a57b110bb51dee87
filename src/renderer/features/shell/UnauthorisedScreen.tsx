/** Web mode without its token: say exactly what to do. */
export function UnauthorisedScreen() {
  return (
    <main className="fullscreen-message">
      <h1>This Stepstone session needs its link with the token: open the URL printed in the terminal</h1>
      <p className="muted">
        <code>npm run web</code> prints a URL ending in <code>?token=…</code>. Opening that URL signs this browser in for the session.
      </p>
    </main>
  );
}

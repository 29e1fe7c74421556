// The Docket dashboard: a Preact single-page app served by the Docket
// server at `/`, talking only to that server's HTTP API.
import { render } from 'preact';
import { App } from './app.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/pages.css';

render(<App />, document.getElementById('app')!);

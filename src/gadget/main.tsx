/**
 * @module gadget/main
 * The gadget page's entry: boot, then render the toolbar.
 */
import { render } from 'preact';
import { systemClock } from '../core/clock.js';
import { boot } from './boot.js';
import { App } from './components/App.js';

const root = document.getElementById('app');
if (root !== null) {
  void boot(window).then(({ store, connected }) => {
    render(<App store={store} now={() => systemClock.now()} />, root);
    void connected.then(() => {
      document.body.dataset.ready = 'true';
    });
  });
}

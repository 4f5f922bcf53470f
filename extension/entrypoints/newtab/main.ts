import { mount } from 'svelte';
import { nextUpItem } from '../../utils/storage';
import App from './App.svelte';
import { NewTabState } from './new-tab-state.svelte';
import './new-tab.css';

// One storage read, then paint: no message round trip, no network, no spinner.
void nextUpItem.getValue().then((initial) => {
  const target = document.getElementById('app');
  if (target) mount(App, { target, props: { tab: new NewTabState(initial) } });
});

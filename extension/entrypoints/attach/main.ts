import { mount } from 'svelte';
import '../../assets/base.css';
import { AppState } from '../../utils/app-state.svelte';
import App from './App.svelte';

// A tab of its own for choosing an image: Firefox closes the popup when a file picker opens.
const target = document.getElementById('app');
const reminderId = new URLSearchParams(location.search).get('reminder');
if (target) mount(App, { target, props: { app: new AppState({ latestLimit: 20 }), reminderId } });

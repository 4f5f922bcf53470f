import { mount } from 'svelte';
import '../../assets/base.css';
import { AppState } from '../../utils/app-state.svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (target) mount(App, { target, props: { app: new AppState({ latestLimit: 1 }) } });

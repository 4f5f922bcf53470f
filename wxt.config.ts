import { defineConfig } from 'wxt';

export default defineConfig({
  srcDir: 'extension',
  modules: ['@wxt-dev/module-svelte'],
  // Imports are explicit everywhere: a reader can follow every name to its module.
  imports: false,
  manifest: {
    name: 'RemindMe',
    description: 'Keep the sayings, quotes and images that keep you going, and see one on every new tab.',
    permissions: ['contextMenus', 'storage', 'alarms', 'activeTab', 'scripting', 'notifications'],
  },
});

import { defineConfig } from 'wxt';

export default defineConfig({
  srcDir: 'extension',
  // Icons and other static files belong to the extension, not to the repository root.
  publicDir: 'extension/public',
  modules: ['@wxt-dev/module-svelte'],
  // Imports are explicit everywhere: a reader can follow every name to its module.
  imports: false,
  hooks: {
    // The new tab is built on its own, so it carries only the Svelte runtime it uses itself.
    // Built with the popup and options page, it would share one runtime chunk with them and
    // grow whenever they use more of Svelte — and the new tab must paint instantly.
    'entrypoints:grouped': (_wxt, groups) => {
      for (const group of groups) {
        if (!Array.isArray(group) || group.length < 2) continue;
        const at = group.findIndex((entry) => entry.type === 'newtab');
        if (at < 0) continue;
        groups.push(group.splice(at, 1));
        return;
      }
    },
  },
  // Manifest V3 for Firefox too (WXT would default to MV2 there): one background model,
  // `action` and `scripting` the same on both browsers.
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'RemindMe',
    description: 'Keep the sayings, quotes and images that keep you going, and see one on every new tab.',
    // contextMenus: "Save to RemindMe", "Save image to RemindMe"; activeTab + scripting: read
    // the selection with its line breaks, or the image with the page's cookies and referrer,
    // in the page that was right-clicked, only then; storage + unlimitedStorage: the offline
    // copy of a collection of thousands, unsent images and the new tab's image cache
    // outgrow the default quota; alarms: retry and sync while the worker sleeps;
    // notifications: say when a save failed; offscreen (Chrome): its service worker has no
    // XMLHttpRequest, the only way to report upload progress (see utils/image-upload.ts).
    // No host permissions: the API and its image files answer CORS with `*`, so the
    // extension can call any server.
    permissions: [
      'contextMenus',
      'storage',
      'unlimitedStorage',
      'alarms',
      'activeTab',
      'scripting',
      'notifications',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    action: { default_title: 'RemindMe' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'remindme@remindme.invalid',
              strict_min_version: '140.0',
              // Sent to the person's own RemindMe server: the text they save, the page it
              // came from, and their sign-in details.
              data_collection_permissions: {
                required: ['websiteContent', 'browsingActivity', 'authenticationInfo'],
              },
            },
          },
        }
      : {}),
  }),
});

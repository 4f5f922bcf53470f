import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../utils/background-main';

// WXT imports this file at build time: all runtime work happens inside main().
export default defineBackground(() => {
  void startBackground();
});

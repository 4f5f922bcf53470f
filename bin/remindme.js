#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a self-hoster needs no separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');

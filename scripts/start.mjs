#!/usr/bin/env node
/**
 * `npm start`'s prestart: builds the widget (scripts/build-widget.mjs) and the server bundle
 * (scripts/build-server.mjs), each only if its sources changed. One node process for both, and esbuild is
 * loaded only when something is to be built, so a start with fresh builds spends a few milliseconds here.
 */
import { buildServer } from './build-server.mjs';
import { buildWidget } from './build-widget.mjs';

if (await buildWidget()) await buildServer();
else process.exitCode = 1;

#!/usr/bin/env node
// The installed `lake` command. A committed shim (not in dist/) so that `npm ci` can link the bin
// before `npm run build` has produced dist/. It runs the CLI's bundle (dist/bundle/lake.js, made by the
// package's build: one file and lazy chunks start several times faster than dist/bin.js's ~400 ES
// modules), or dist/bin.js itself when there is no bundle.
import { existsSync } from 'node:fs'

const bundle = new URL('../dist/bundle/lake.js', import.meta.url)
await import(existsSync(bundle) ? bundle.href : '../dist/bin.js')

#!/usr/bin/env node
// `npx oqu …`: the operator's command line. Loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/index.ts')

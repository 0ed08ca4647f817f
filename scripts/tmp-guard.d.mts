// Types of tmp-guard.mjs, for the tests that import it.
export function createPrivateTmp(parent?: string): string
export function leftoversIn(dir: string): string[]
export function tmpEnv(dir: string): { TMPDIR: string; TMP: string; TEMP: string }
export function finishPrivateTmp(dir: string, log?: (line: string) => void): string[]

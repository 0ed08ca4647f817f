// Tests of scripts/tmp-guard.mjs, which gives `npm test` a private TMPDIR and fails the run when the
// tests leave anything in it.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPrivateTmp, finishPrivateTmp, leftoversIn, tmpEnv } from '../scripts/tmp-guard.mjs'

describe('tmp-guard', () => {
  let parent: string
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'lake-tmp-guard-'))
  })
  afterEach(() => rmSync(parent, { recursive: true, force: true }))

  it('makes a fresh empty directory and points TMPDIR, TMP and TEMP at it', () => {
    const dir = createPrivateTmp(parent)
    expect(leftoversIn(dir)).toEqual([])
    expect(tmpEnv(dir)).toEqual({ TMPDIR: dir, TMP: dir, TEMP: dir })
    expect(createPrivateTmp(parent)).not.toBe(dir)
  })

  it('reports nothing and removes the directory when the tests cleaned up', () => {
    const dir = createPrivateTmp(parent)
    const lines: string[] = []
    expect(finishPrivateTmp(dir, (line) => lines.push(line))).toEqual([])
    expect(lines).toEqual([])
    expect(existsSync(dir)).toBe(false)
  })

  it('lists each leftover file and directory (not their contents), prints them and removes everything', () => {
    const dir = createPrivateTmp(parent)
    mkdirSync(join(dir, 'lake-cli-x-1', 'table', '_delta_log'), { recursive: true })
    writeFileSync(join(dir, 'lake-cli-x-1', 'table', '_delta_log', '0.json'), '{}')
    writeFileSync(join(dir, 'stray.tmp'), '')
    const lines: string[] = []
    const left = finishPrivateTmp(dir, (line) => lines.push(line))
    expect(left).toEqual([join(dir, 'lake-cli-x-1') + '/', join(dir, 'stray.tmp')])
    expect(lines[0]).toMatch(/left 2 temporary entries/)
    expect(lines.slice(1)).toEqual(left.map((path) => `  ${path}`))
    expect(existsSync(dir)).toBe(false)
  })
})

// The error thrown for an expression or predicate that does not parse or bind (unknown column, type
// mismatch, bad syntax). Code `InvalidPredicate`; `context.position` is the 1-based char position in
// the text, `context.expression` the text when known.

import { LakeError } from '@lake/storage'
import type { LakeErrorOptions } from '@lake/storage'

/** An expression or predicate that does not parse or bind. Code `InvalidPredicate`. */
export class PredicateError extends LakeError {
  /** What is wrong, without the position. */
  readonly detail: string
  /** The 0-based offset of the problem in the text. */
  readonly offset: number

  /**
   * Builds the message `<what> at position <pos + 1>`; `pos` is a 0-based offset into the text.
   * With `expression`, the message names it and `context.expression` holds it.
   */
  constructor(what: string, pos: number, options: LakeErrorOptions = {}, expression?: string) {
    const where = `${what} at position ${pos + 1}`
    super('InvalidPredicate', expression === undefined ? `invalid predicate: ${where}` : `invalid expression '${expression}': ${where}`, {
      ...options,
      context: { ...options.context, position: pos + 1, ...(expression === undefined ? {} : { expression }) },
    })
    this.detail = what
    this.offset = pos
  }
}

/** Runs `fn`; a PredicateError it throws comes back naming the expression text. */
export function namingExpression<T>(text: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof PredicateError) || err.context['expression'] !== undefined) throw err
    const { position: _position, ...context } = err.context
    throw new PredicateError(err.detail, err.offset, { context, cause: err.cause }, text)
  }
}

/** Runs `fn`; a PredicateError it throws comes back with the predicate text in `context.expression` (message unchanged). */
export function inPredicate<T>(text: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof PredicateError) || err.context['expression'] !== undefined) throw err
    throw new PredicateError(err.detail, err.offset, { context: { ...err.context, expression: text }, cause: err.cause })
  }
}

// The error thrown for a filter or replaceWhere predicate that does not parse or does not fit the schema.
// Code `InvalidPredicate`; `context.position` is the 1-based char position in the predicate text.

import { LakeError } from '@lake/storage'
import type { LakeErrorOptions } from '@lake/storage'

/** A predicate that does not parse or bind. Code `InvalidPredicate`. */
export class PredicateError extends LakeError {
  /** Builds the message `<what> at position <pos + 1>`; `pos` is a 0-based offset into the text. */
  constructor(what: string, pos: number, options: LakeErrorOptions = {}) {
    super('InvalidPredicate', `invalid predicate: ${what} at position ${pos + 1}`, {
      ...options,
      context: { ...options.context, position: pos + 1 },
    })
  }
}

// Random predicates for the expression property tests: `leaf` comparisons combined with AND, OR and NOT.
import fc from 'fast-check'

/** Predicates built from `leaf`: nested AND / OR / NOT of leaves, small depth. */
export function predicateOf(leaf: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('p'), fc.constantFrom('AND', 'OR'), tie('p')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
      tie('p').map((a) => `NOT (${a})`),
    ),
  })).p
}

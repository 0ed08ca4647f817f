// The failure value of the primitive coercers: returned (never thrown) so the hot path allocates
// nothing for valid values; the row coercer turns it into a `SchemaError` with the column path.

/** A value that does not fit its column; `reason` explains why when the type alone does not. */
export class Mismatch {
  readonly reason: string | undefined
  constructor(reason?: string) {
    this.reason = reason
  }
}

/** The shared mismatch without a reason (wrong JS type). */
export const WRONG_TYPE = new Mismatch()

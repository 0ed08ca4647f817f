// Public API of @lake/core.

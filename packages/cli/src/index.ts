// Public API of @lake/cli.

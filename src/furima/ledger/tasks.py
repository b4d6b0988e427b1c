"""Background work for the ledger app: none yet (everything it does happens inside the
trade services' transactions)."""

"""Background work for the market app: none yet (everything it does happens inside the
trade services' transactions)."""

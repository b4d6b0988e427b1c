"""Background work for shipping addresses: none (every write happens in a request)."""

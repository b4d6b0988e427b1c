"""Nothing runs in the background for payouts: staff mark them paid on the desk."""

"""rx.State classes: the session and its guard, then one state per feature. Thin: validate, call a service, store view data."""

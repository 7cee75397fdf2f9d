"""rx.State classes: the session and its guard, then one thin state per feature."""

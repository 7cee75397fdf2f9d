"""The catalogue's parts, one module per domain; services.i18n merges them into one catalogue."""

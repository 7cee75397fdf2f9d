"""Everything below the UI: settings, data, domain logic and integrations. Never imports reflex."""

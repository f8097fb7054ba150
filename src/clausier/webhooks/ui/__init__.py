"""The webhook screens: settings, delivery log, retries."""

"""The quote screens: back-office and portal."""

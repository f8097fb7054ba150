"""Dunning: the seller's plan of reminders (pure decisions in :mod:`.plan`), the queue and its
sending (:mod:`.services`), the e-mails (:mod:`.emails`) and the formal notice printed
(:mod:`.printing`)."""

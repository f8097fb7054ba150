"""The kernel every domain builds on: errors, the clock, typed inputs, the actor, facts."""

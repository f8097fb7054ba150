"""View-model helpers several screens share, nothing domain-specific."""

from __future__ import annotations

from collections import Counter

SEVERITIES = ("error", "warning", "info")


def finding_counts(findings) -> dict[str, int]:
    """How many findings of each severity (``error``, ``warning``, ``info``), and in all."""
    counts = Counter(f.severity for f in findings)
    return {**{s: counts.get(s, 0) for s in SEVERITIES}, "total": len(findings)}

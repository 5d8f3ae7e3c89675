"""Spellings of a citation an LMS accepts: LMSs compare strings; they cannot call our parser."""

from __future__ import annotations

import protocol


def spellings(pid: str) -> list[str]:
    """Common ways to write `pid`; every one parses back to `pid` (a test checks)."""
    p = protocol.get(pid)
    if pid == str(p.article):  # an article cited whole (14, the savings clause: its paragraph 1)
        return [pid, f"Article {pid}", f"Art. {pid}", f"Art {pid}"]
    parts = [str(p.article), str(p.paragraph)] + ([p.subparagraph] if p.subparagraph else [])
    short = pid
    forms = [short, f"Article {short}", f"Art. {short}", f"Art {short}", ".".join(parts),
             f"Article {p.article}, paragraph {p.paragraph}" + (f" ({p.subparagraph})" if p.subparagraph else "")]
    if p.subparagraph:
        forms.append(f"{p.article}({p.paragraph}){p.subparagraph}")
    return list(dict.fromkeys(forms))

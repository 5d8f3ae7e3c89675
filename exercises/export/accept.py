"""Spellings of a citation an LMS accepts: LMSs compare strings; they cannot call our parser.

Moodle's short answer compares the whole trimmed answer with each accepted one (letter case
aside), so spacing counts: "§ 3" and "§3" are two spellings. The list keeps to the forms in
common use, in common-law and civil-law writing, rather than every combination the parser
reads: each one is an answer row a lecturer sees when editing the question.
"""

from __future__ import annotations

import protocol


def spellings(pid: str) -> list[str]:
    """Common ways to write `pid`; every one parses back to `pid` (a test checks)."""
    p = protocol.get(pid)
    a, n, s = p.article, p.paragraph, p.subparagraph
    if pid == str(a):  # an article cited whole (14, the savings clause: its paragraph 1)
        return [pid, f"Article {pid}", f"Art. {pid}", f"Art {pid}"]
    forms = [pid, f"Article {pid}", f"Art. {pid}", f"Art {pid}", ".".join(str(x) for x in (a, n, s) if x),
             f"Article {a}, paragraph {n}" + (f" ({s})" if s else "")]
    if s:
        forms += [f"{a}({n}){s}",
                  # civil-law writing: the paragraph sign, and "para." with "lit." or "sub-para."
                  f"Art. {a} § {n} ({s})", f"Art. {a} §{n}({s})", f"Article {a} § {n} ({s})",
                  f"Art. {a} § {n} lit. {s}", f"Art. {a} para. {n} ({s})", f"Article {a}, para. {n} ({s})",
                  f"Article {a}, para. {n}, sub-para. ({s})", f"Article {a}, paragraph {n}, subparagraph ({s})"]
    else:
        forms += [f"Art. {a} § {n}", f"Art. {a} §{n}", f"Article {a} § {n}",
                  f"Art. {a} para. {n}", f"Article {a}, para. {n}"]
    return list(dict.fromkeys(forms))

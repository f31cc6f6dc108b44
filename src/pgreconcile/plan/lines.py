"""Text that stays on one line, whatever names and expressions it quotes.

A plan's labels quote names and expressions the user (or the live database) wrote: an index on
``(CASE … END)`` spans several lines as PostgreSQL prints it, and a quoted identifier may hold a
newline. Every renderer puts a label on one line — after ``-- step 3:`` in ``plan --sql``, in a
Markdown table cell, in a terminal — so a line break inside it would end a SQL comment (and make
the rest of the name run as SQL when the script is piped to psql), break a table, or move the
cursor. Labels are made single-line once, where the plan is built, and renderers apply the same
function to everything else they quote.
"""

from __future__ import annotations

import re
import unicodedata

# Whitespace that ends a line somewhere (SQL's lexer ends a -- comment at \n or \r; terminals and
# Markdown also break at the others), together with the indentation that follows it.
_BREAKS = re.compile(r"[ \t]*[\n\r\f\v\x85\u2028\u2029][\s]*")


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def single_line(text: str) -> str:
    """``text`` on one line: each line break (and the indentation after it) becomes one space,
    tabs become spaces, and any other control character is shown escaped (``\\x1b``)."""
    text = _BREAKS.sub(" ", text).replace("\t", " ")
    if text.isprintable():
        return text
    return "".join(
        _escaped(c) if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c != " " else c for c in text
    )

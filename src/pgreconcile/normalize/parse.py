"""SQL text → one validated sqlglot expression tree, or a short message saying what is wrong.

Declarations hold *expressions*: a CHECK body, a DEFAULT, a policy's USING. A statement
(``SELECT 1``), a list of them (``1; DROP TABLE x``) or an expression with trailing words
(``price > 0 garbage``, which sqlglot reads as an alias) is rejected here, before anything is
compared or rendered into DDL.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

from pgreconcile.normalize.dialect import DIALECT, respell, restore_types

# Roots sqlglot produces for texts that are not expressions. (A list of what *is* allowed would
# be shorter to read but wrong sooner: ``t AT TIME ZONE z`` and ``(a, b)`` are not "conditions"
# to sqlglot. A statement that slipped through could not run anyway: the text is only ever
# placed inside ``CHECK (…)`` or after ``DEFAULT``, and ';' is refused above.)
_NOT_EXPRESSION_ROOTS: tuple[type[exp.Expr], ...] = (exp.Star, exp.Values)

# Statement nodes, refused wherever they appear (sqlglot 30 does not give them one base class).
_STATEMENT_NODES: tuple[type[exp.Expr], ...] = tuple(
    getattr(exp, name)
    for name in ("DDL", "DML", "Command", "Block", "Transaction", "Commit", "Rollback", "Drop", "Alter",
                 "Create", "TruncateTable", "Insert", "Update", "Delete", "Merge", "Copy", "Grant", "Revoke",
                 "Comment", "Analyze", "Use", "Describe", "Pragma", "Set")
    if isinstance(getattr(exp, name, None), type)
)

# Statement keywords sqlglot would otherwise swallow whole as a generic Command (with a warning
# on stderr) — refused from the first token instead.
_COMMAND_TOKENS = frozenset(DIALECT.tokenizer_class.COMMANDS)

# sqlglot's wording for an operator without its operand names its own class; say it plainly.
_MISSING_OPERAND = re.compile(r"Required keyword: '\w+' missing for <class '[\w.]*?(\w+)'>")


class ExpressionSyntaxError(ValueError):
    """``sql`` is not a single valid SQL expression; the message says where and why."""


def parse_expression(sql: str) -> exp.Expr:
    """Parse ``sql`` as one PostgreSQL expression (not a statement, not a list of them).

    Raises :class:`ExpressionSyntaxError` with a short message (line/column when sqlglot has one).
    """
    try:
        tokens = DIALECT.tokenize(sql)
        respelled = respell(sql, tokens)
        if respelled != sql:
            sql, tokens = respelled, DIALECT.tokenize(respelled)
    except TokenError as err:
        raise ExpressionSyntaxError(f"cannot read the text: {_first_line(err)}") from None
    if not tokens:
        raise ExpressionSyntaxError("empty expression")
    if any(token.token_type == TokenType.SEMICOLON for token in tokens):
        # sqlglot forgives a trailing ';', PostgreSQL does not inside CHECK (…) or DEFAULT.
        raise ExpressionSyntaxError("';' ends a statement; an expression cannot contain one")
    if _unbalanced_brackets(tokens):
        # sqlglot forgives a missing ']' after a type (``'{}'::int[``); PostgreSQL does not.
        raise ExpressionSyntaxError("a '[' is not closed by ']' (or a ']' has no '[')")
    if tokens[0].token_type in _COMMAND_TOKENS:
        raise ExpressionSyntaxError(f"expected an expression, found a statement ({tokens[0].text.upper()})")
    try:
        trees = DIALECT.parser().parse(tokens, sql)
    except ParseError as err:
        raise ExpressionSyntaxError(_parse_message(err)) from None
    except SqlglotError as err:
        raise ExpressionSyntaxError(_first_line(err) or "invalid SQL") from None
    if len(trees) != 1 or trees[0] is None:
        raise ExpressionSyntaxError("expected exactly one expression")
    tree = trees[0]
    restore_types(tree)
    if isinstance(tree, exp.Alias):
        raise ExpressionSyntaxError(
            f"unexpected {tree.alias!r} after the expression (an alias is not allowed)"
        )
    if isinstance(tree, exp.Query) and not isinstance(tree, exp.Subquery):
        raise ExpressionSyntaxError("expected an expression, found a query (wrap a subquery in parentheses)")
    if isinstance(tree, _NOT_EXPRESSION_ROOTS):
        raise ExpressionSyntaxError(f"expected an expression, found {tree.key.upper()}")
    for node in tree.walk():
        if isinstance(node, _STATEMENT_NODES):
            raise ExpressionSyntaxError(f"expected an expression, found a statement ({node.key.upper()})")
        if isinstance(node, exp.In) and _is_empty_in(node):
            raise ExpressionSyntaxError("an IN list cannot be empty")
    return tree


def _unbalanced_brackets(tokens: list[Token]) -> bool:
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_BRACKET:
            depth += 1
        elif token.token_type == TokenType.R_BRACKET:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def _is_empty_in(node: exp.In) -> bool:
    return not node.expressions and not node.args.get("query") and not node.args.get("unnest")


def _first_line(err: Exception) -> str:
    text = str(err)
    return text.splitlines()[0] if text else ""


def _parse_message(err: ParseError) -> str:
    if err.errors:
        first = err.errors[0]
        where = f"line {first.get('line')}, column {first.get('col')}"
        near = (first.get("highlight") or "").strip()
        description = first.get("description") or "invalid syntax"
        missing = _MISSING_OPERAND.match(description)
        if missing:
            description = f"incomplete expression ({missing.group(1).upper()} lacks an operand)"
        return f"{description} at {where}" + (f" (near {near!r})" if near else "")
    return _first_line(err)

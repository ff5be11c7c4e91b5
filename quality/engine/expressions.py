"""A small, safe expression grammar for cross-field rules.

Stewards write rules such as ``total = qty * unit_price`` or
``status IN ('paid', 'shipped') OR paid_at IS NULL``. The text is tokenised
and parsed here, and the SQL is rebuilt from the parse: column names become
``sql.Identifier`` of known warehouse columns, literals become
``sql.Literal``, operators and functions come from fixed whitelists. Nothing
the user typed is ever spliced into SQL as text.

Grammar (case-insensitive keywords)::

    condition  := or_expr
    or_expr    := and_expr ("OR" and_expr)*
    and_expr   := not_expr ("AND" not_expr)*
    not_expr   := "NOT" not_expr | predicate
    predicate  := arith [ cmp arith
                        | "IS" ["NOT"] "NULL"
                        | ["NOT"] "IN" "(" literal ("," literal)* ")"
                        | ["NOT"] "BETWEEN" arith "AND" arith ]
    arith      := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := "-" factor | number | string | TRUE | FALSE | NULL
                | column | function "(" [arith ("," arith)*] ")" | "(" or_expr ")"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from psycopg import sql

from .spec import ColumnIndex, QualityConfigError

COMPARISONS = ("<=", ">=", "<>", "!=", "=", "<", ">")
FUNCTIONS: dict[str, str] = {
    "abs": "abs",
    "round": "round",
    "coalesce": "coalesce",
    "lower": "lower",
    "upper": "upper",
    "length": "length",
    "greatest": "greatest",
    "least": "least",
    "trim": "btrim",
}
KEYWORDS = frozenset({"and", "or", "not", "is", "null", "in", "between", "true", "false"})

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")+")
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|<>|!=|[=<>+\-*/(),])
    """,
    re.VERBOSE,
)


@dataclass
class _Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[_Token]:
    """Split an expression into tokens, rejecting anything outside the grammar."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise QualityConfigError(f"unexpected character {text[pos]!r} at position {pos + 1}")
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


@dataclass
class Compiled:
    """An expression rebuilt as SQL, with the columns it reads."""

    sql: sql.Composable
    columns: list[str] = field(default_factory=list)


class _Parser:
    def __init__(self, text: str, index: ColumnIndex) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.index = index
        self.columns: list[str] = []

    # -- token helpers -------------------------------------------------
    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _is(self, *texts: str) -> bool:
        tok = self._peek()
        return tok is not None and tok.kind in ("word", "op") and tok.text.lower() in texts

    def _next(self) -> _Token:
        tok = self._peek()
        if tok is None:
            raise QualityConfigError("expression ends too early")
        self.i += 1
        return tok

    def _expect(self, text: str) -> None:
        tok = self._next()
        if tok.text.lower() != text:
            raise QualityConfigError(f"expected {text!r} at position {tok.pos + 1}, found {tok.text!r}")

    def done(self) -> None:
        tok = self._peek()
        if tok is not None:
            raise QualityConfigError(f"unexpected {tok.text!r} at position {tok.pos + 1}")

    # -- grammar -------------------------------------------------------
    def condition(self) -> sql.Composable:
        return self._or()

    def _or(self) -> sql.Composable:
        parts = [self._and()]
        while self._is("or"):
            self._next()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else sql.SQL("({})").format(sql.SQL(" OR ").join(parts))

    def _and(self) -> sql.Composable:
        parts = [self._not()]
        while self._is("and"):
            self._next()
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else sql.SQL("({})").format(sql.SQL(" AND ").join(parts))

    def _not(self) -> sql.Composable:
        if self._is("not"):
            self._next()
            return sql.SQL("(NOT {})").format(self._not())
        return self._predicate()

    def _predicate(self) -> sql.Composable:
        left = self.arith()
        if self._is(*COMPARISONS):
            op = self._next().text
            op = "<>" if op == "!=" else op
            return sql.SQL("({} {} {})").format(left, sql.SQL(op), self.arith())
        if self._is("is"):
            self._next()
            negate = self._is("not")
            if negate:
                self._next()
            self._expect("null")
            return sql.SQL("({} IS NOT NULL)" if negate else "({} IS NULL)").format(left)
        negate = False
        if self._is("not"):
            self._next()
            negate = True
            if not self._is("in", "between"):
                raise QualityConfigError("NOT here must be followed by IN or BETWEEN")
        if self._is("in"):
            self._next()
            self._expect("(")
            values = [self._literal()]
            while self._is(","):
                self._next()
                values.append(self._literal())
            self._expect(")")
            tmpl = "({} NOT IN ({}))" if negate else "({} IN ({}))"
            return sql.SQL(tmpl).format(left, sql.SQL(", ").join(values))
        if self._is("between"):
            self._next()
            low = self.arith()
            self._expect("and")
            high = self.arith()
            tmpl = "({} NOT BETWEEN {} AND {})" if negate else "({} BETWEEN {} AND {})"
            return sql.SQL(tmpl).format(left, low, high)
        return left

    def arith(self) -> sql.Composable:
        node = self._term()
        while self._is("+", "-"):
            op = self._next().text
            node = sql.SQL("({} {} {})").format(node, sql.SQL(op), self._term())
        return node

    def _term(self) -> sql.Composable:
        node = self._factor()
        while self._is("*", "/"):
            op = self._next().text
            right = self._factor()
            if op == "/":
                # A zero divisor makes the row not applicable instead of
                # aborting the whole measurement with division_by_zero.
                node = sql.SQL("({} / NULLIF({}, 0))").format(node, right)
            else:
                node = sql.SQL("({} * {})").format(node, right)
        return node

    def _literal(self) -> sql.Composable:
        tok = self._next()
        if tok.kind == "number":
            return sql.Literal(Decimal(tok.text))
        if tok.kind == "string":
            return sql.Literal(tok.text[1:-1].replace("''", "'"))
        if tok.kind == "op" and tok.text == "-":
            nxt = self._next()
            if nxt.kind == "number":
                return sql.Literal(-Decimal(nxt.text))
        if tok.kind == "word" and tok.text.lower() in ("true", "false"):
            return sql.Literal(tok.text.lower() == "true")
        raise QualityConfigError(f"expected a literal at position {tok.pos + 1}, found {tok.text!r}")

    def _factor(self) -> sql.Composable:
        tok = self._peek()
        if tok is None:
            raise QualityConfigError("expression ends too early")
        if tok.kind == "op" and tok.text == "-":
            self._next()
            return sql.SQL("(-{})").format(self._factor())
        if tok.kind in ("number", "string"):
            return self._literal()
        if tok.kind == "op" and tok.text == "(":
            self._next()
            inner = self._or()
            self._expect(")")
            return inner
        if tok.kind == "quoted":
            self._next()
            return self._column(tok.text[1:-1].replace('""', '"'), tok)
        if tok.kind == "word":
            word = tok.text.lower()
            if word in ("true", "false"):
                return self._literal()
            if word == "null":
                self._next()
                return sql.SQL("NULL")
            nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
            if nxt is not None and nxt.text == "(" and word in FUNCTIONS:
                return self._function(word)
            if word in KEYWORDS:
                raise QualityConfigError(f"unexpected keyword {tok.text!r} at position {tok.pos + 1}")
            self._next()
            return self._column(tok.text, tok)
        raise QualityConfigError(f"unexpected {tok.text!r} at position {tok.pos + 1}")

    def _function(self, word: str) -> sql.Composable:
        self._next()
        self._expect("(")
        args: list[sql.Composable] = []
        if not self._is(")"):
            args.append(self.arith())
            while self._is(","):
                self._next()
                args.append(self.arith())
        self._expect(")")
        return sql.SQL("{}({})").format(sql.SQL(FUNCTIONS[word]), sql.SQL(", ").join(args))

    def _column(self, ref: str, tok: _Token) -> sql.Composable:
        spec = self.index.get(ref)
        if spec is None:
            raise QualityConfigError(f"unknown column {ref!r} at position {tok.pos + 1}")
        if spec.column not in self.columns:
            self.columns.append(spec.column)
        return sql.Identifier(spec.column)


def compile_condition(text: str, index: ColumnIndex) -> Compiled:
    """Compile a boolean condition (``kind='sql'`` rules)."""
    parser = _Parser(text, index)
    node = parser.condition()
    parser.done()
    return Compiled(node, parser.columns)


def compile_arith(text: str, index: ColumnIndex) -> Compiled:
    """Compile an arithmetic expression (one side of an order/equation rule)."""
    parser = _Parser(text, index)
    node = parser.arith()
    parser.done()
    return Compiled(node, parser.columns)


def split_equation(text: str) -> tuple[str, str]:
    """Split ``"lhs = rhs"`` on its single top-level ``=``."""
    depth = 0
    positions: list[int] = []
    for tok in tokenize(text):
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "=" and depth == 0:
            positions.append(tok.pos)
    if len(positions) != 1:
        raise QualityConfigError("an equation needs exactly one '=' between two expressions")
    return text[: positions[0]], text[positions[0] + 1 :]

"""Staff-edited letter templates: checked before they are saved, rendered only in a sandbox.

The environment is an ImmutableSandboxedEnvironment with autoescaping and StrictUndefined, no
loader (so no include, import or extends), no globals, and a plain-dict context: a template can
neither read files nor reach the application's objects, and a typo is an error, never a blank in
a legal letter.
"""

import sys
from collections.abc import Mapping
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

FORBIDDEN_NAMES = frozenset(
    {"self", "config", "request", "session", "g", "loop", "varargs", "kwargs"}
)
FORBIDDEN_TAGS = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


class TemplateProblem(ValueError):
    """A template that cannot be saved or rendered, with the line where known."""


MAX_SIZE = 100_000  # the largest string or list a template may build by * or **
STAFF_ERRORS = (
    TemplateError,
    ArithmeticError,
    TypeError,
    ValueError,
    LookupError,
    AttributeError,
    AssertionError,
    RecursionError,
)
MAX_BITS = 4096  # the largest number a template may compute by **


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with * and ** bounded so a template cannot exhaust memory or CPU."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and _too_big_power(left, right):
            raise SecurityError("numbers that large are not allowed in letters")
        if operator == "*" and _too_large(left, right):
            raise SecurityError(f"results longer than {MAX_SIZE} are not allowed in letters")
        return super().call_binop(context, operator, left, right)


def _too_big_power(base, exponent) -> bool:
    if not isinstance(exponent, int | float) or abs(exponent) > 64:
        return True
    return isinstance(base, int) and base.bit_length() * abs(exponent) > MAX_BITS


def _too_large(left, right) -> bool:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return len(sequence) * count > MAX_SIZE
    return False


def _environment() -> ImmutableSandboxedEnvironment:
    env = LetterEnvironment(
        autoescape=True,  # from_string templates are not covered by select_autoescape
        undefined=StrictUndefined,
        loader=None,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.clear()  # no range, lipsum, cycler, joiner, namespace, dict
    env.filters.pop("attr")  # attribute access by name is all it adds; the context is plain dicts
    return env


ENV = _environment()


def problems(source: str, known: Mapping[str, object]) -> list[str]:
    """Everything wrong with a template before it is saved: syntax, tags, unknown names."""
    try:
        tree = _tree(source)
    except TemplateSyntaxError as error:
        return [f"line {error.lineno}: {error.message}"]
    found = [
        f"line {n.lineno}: {type(n).__name__.lower()} is not allowed in letters"
        for n in tree.find_all(FORBIDDEN_TAGS)
    ]
    found += [
        f"line {n.lineno}: unknown filter {n.name!r}"
        for n in tree.find_all(nodes.Filter)
        if n.name not in ENV.filters
    ]
    found += _name_problems(tree, known)
    found += _attribute_problems(tree, known)
    return found


def _name_problems(tree: nodes.Template, known: Mapping[str, object]) -> list[str]:
    assigned = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    return [
        f"line {node.lineno}: unknown variable {node.name!r}"
        for node in tree.find_all(nodes.Name)
        if node.ctx == "load"
        and (node.name in FORBIDDEN_NAMES or node.name not in known and node.name not in assigned)
    ]


def _attribute_problems(tree: nodes.Template, known: Mapping[str, object]) -> list[str]:
    found = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and name.startswith("_"):
            found.append(f"line {node.lineno}: {name!r} is not allowed")
        elif isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            value = known.get(node.node.name)
            if isinstance(value, Mapping) and node.attr not in value:
                found.append(f"line {node.lineno}: unknown variable '{node.node.name}.{node.attr}'")
    return found


def render(source: str, context: Mapping[str, object]) -> Markup:
    """Check, then render a staff template in the sandbox; errors become a TemplateProblem."""
    found = problems(source, context)
    if found:
        raise TemplateProblem("; ".join(found))
    try:
        return Markup(_compiled(source).render(dict(context)))
    except STAFF_ERRORS as error:  # whatever a staff template does wrong is the template's problem
        raise TemplateProblem(_with_line(error)) from None


@lru_cache(maxsize=256)
def _tree(source: str) -> nodes.Template:
    """The parsed template, once per source: parsing was most of the check run before every
    render, and revisions are immutable. Callers only read the tree (find_all)."""
    return ENV.parse(source)


@lru_cache(maxsize=256)
def _compiled(source: str) -> Template:
    """A template compiled once per source (revisions are immutable; the environment too)."""
    return ENV.from_string(source)


def _with_line(error: TemplateError) -> str:
    line = getattr(error, "lineno", None) or _template_line()
    message = getattr(error, "message", None) or str(error)
    return f"line {line}: {message}" if line else message


def _template_line() -> int | None:
    """The template line of the error being handled (Jinja names template frames "<template>")."""
    traceback = sys.exc_info()[2]
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line

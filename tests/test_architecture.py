"""ARCHITECTURE.md stays true to the tree, and the layers keep their import rules."""

import ast
import re
import textwrap
from pathlib import Path

import pytest

from tests import architecture_rules as rules

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "clausier"
DOC = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def documented_tree_paths() -> list[str]:
    """Paths listed in the "File tree" block, resolved from their indentation."""
    block = DOC.split("## File tree", 1)[1].split("```")[1]
    paths: list[str] = []
    stack: list[tuple[int, str]] = []
    for line in block.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        name = line.strip().split()[0]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "".join(part for _, part in stack) + name
        paths.append(path)
        if name.endswith("/"):
            stack.append((indent, name))
    return paths


def test_every_path_in_the_documented_tree_exists():
    missing = [p for p in documented_tree_paths() if not (ROOT / p).exists()]
    assert missing == []


def test_every_app_directory_is_documented():
    documented = set(documented_tree_paths())
    apps = [
        d.name
        for d in PACKAGE.iterdir()
        if d.is_dir() and not d.name.startswith(("_", ".")) and d.name != "locale"
    ]
    undocumented = [a for a in apps if f"src/clausier/{a}/" not in documented]
    assert undocumented == []


@pytest.mark.parametrize("module", sorted(PACKAGE.joinpath("rules").rglob("*.py")), ids=str)
def test_rules_never_import_django_or_an_app(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    forbidden = [
        name
        for name in imported
        if name.split(".")[0] == "django"
        or (name.startswith("clausier.") and not re.match(r"clausier\.rules(\.|$)", name))
    ]
    assert forbidden == []


# === The stage order and the layer rules (ARCHITECTURE.md, "What may import what") ==========
#
# Each rule is a pure function of tests/architecture_rules.py, shown to catch a bad example
# here, then run over the real tree. The refactor into domain slices is under way: each
# real-tree rule has an allow-list of the violations the tree had when the rule was written,
# by (path under src/clausier/, what). A violation not in its list fails; an entry that is no
# longer a violation fails too, until it is taken out of its list: the lists only shrink.
# Nothing is skipped.

# The order of the apps, written once, earliest first. An app imports only from earlier
# stages, never from another app of its own stage; a domain imports the models, selectors,
# presenters, events (and pure domain) of earlier domains, never their services (rule b), nor
# their screens, router, URLs or handlers. webhooks comes early: a channel out that knows no
# domain (its handlers read the facts they announce by their fields), so that a domain's
# screens may show the deliveries of its objects; only reactions.py makes it emit.
# Names of domains still to come are placed already.
STAGES: list[set[str]] = [
    {"rules"},
    {"kernel"},
    {"audit", "numbering", "documents"},
    {"web"},
    {"sellers"},
    {"webhooks", "inbox"},
    {"customers"},
    {"security"},
    {"legal"},
    {"terms"},
    {"catalog"},
    {"quotes"},
    {"orders"},
    {"contracts"},
    {"metering"},
    {"support", "maintenance"},
    {"invoicing"},
    {"payments"},
    {"collections"},
    {"withdrawal"},
    {"accounting"},
]
FOUNDATION = {"rules", "kernel"}
INFRASTRUCTURE = {"audit", "numbering", "documents"}
# The kit of every domain's screens (no domain in it: the access decorators live in sellers and
# customers): any domain's ui/, api.py, urls.py and schemas.py may import it.
KIT = "web"
# They mount the domains' screens and routers, wire the reactions and load the demo: they
# import anything, and nothing imports them.
SHELLS = {
    "backoffice",
    "portal",
    "api",
    "demo",
    "ops",
    "entry",
    "reactions",
    "urls",
    "settings",
    "manage",
    "wsgi",
}

LAYOUT = rules.Layout.of(
    STAGES, foundation=FOUNDATION, infrastructure=INFRASTRUCTURE, kit=KIT, shells=SHELLS
)

# --- allow-lists of today's violations: (path under src/clausier/, what) --------------------

# a. none left: quotes, orders and invoicing talk through facts and reactions.py.
STAGE_ORDER_ALLOWED: set[tuple[str, str]] = set()
# b. none left: a domain's effect on another goes through a fact and reactions.py.
CROSS_SERVICES_ALLOWED: set[tuple[str, str]] = set()
# c. none left: screens write through their domain's services only.
SCREEN_WRITES_ALLOWED: set[tuple[str, str]] = set()
# d. private names imported by another module.
PRIVATE_IMPORTS_ALLOWED: set[tuple[str, str]] = set()
# e. status fields of domains without a state table.
STATUS_WITHOUT_TRANSITIONS_ALLOWED: set[tuple[str, str]] = set()
# f. modules over 800 lines, to be split by topic.
LONG_MODULES_ALLOWED: set[str] = set()
# g. app-level import cycles (a smaller cycle inside one of them is not new): none left since
# the reactions table replaced invoicing <-> orders <-> quotes.
CYCLES_ALLOWED: list[frozenset[str]] = []


def new_and_stale(found, allowed) -> tuple[list[str], list[tuple[str, str]]]:
    """The violations ``allowed`` does not list, and the entries of ``allowed`` not found."""
    keys = {v.key for v in found}
    new = [str(v) for v in found if v.key not in allowed]
    return new, sorted(set(allowed) - keys)


def parsed(path: str, source: str) -> tuple[str, ast.Module, list[rules.Import]]:
    tree = ast.parse(textwrap.dedent(source))
    return path, tree, rules.imports(tree, path)


def app_of_path(path: str) -> str | None:
    return rules.app_of(rules.module_name(path))


def real_stage_order():
    return [v for m in rules.source_modules() for v in rules.stage_order(m.path, m.imports, LAYOUT)]


def real_cross_services():
    return [
        v
        for m in rules.source_modules()
        for v in rules.cross_domain_services(m.path, m.imports, LAYOUT)
    ]


def checked_screen(path: str) -> bool:
    """Domains' ui/ and api.py, and the shells' screens until they move into their domain."""
    app = app_of_path(path)
    layer = rules.layer_of(rules.module_name(path))
    if app in LAYOUT.domains:
        return layer in {"ui", "api"}
    return (
        app in {"backoffice", "portal"} or path.startswith("api/routers/") or path == "api/api.py"
    )


def real_screen_writes():
    return [
        v
        for m in rules.source_modules()
        if checked_screen(m.path)
        for v in rules.screen_writes(m.path, m.tree)
    ]


def real_private_imports():
    return [v for m in rules.source_modules() for v in rules.private_imports(m.path, m.imports)]


def real_status_without_transitions():
    found = []
    for m in rules.source_modules():
        app = app_of_path(m.path)
        if m.path == f"{app}/models.py" and app in LAYOUT.domains:
            found += rules.status_without_transitions(
                m.path, m.tree, has_transitions=rules.has_transitions(app)
            )
    return found


def real_long_modules():
    return [v for m in rules.source_modules() for v in rules.module_too_long(m.path, m.source)]


# --- the stage order itself -------------------------------------------------------------------


def test_every_app_has_a_place_in_the_stage_order():
    assert LAYOUT.unplaced(rules.apps()) == []


def test_the_stage_order_names_each_app_once():
    names = [app for stage in STAGES for app in stage]
    assert len(names) == len(set(names))
    assert not set(names) & SHELLS
    assert FOUNDATION | INFRASTRUCTURE | {KIT} <= set(names)


# --- a. stage order ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("catalog/selectors.py", "from clausier.quotes.models import Quote", "later stage"),
        ("quotes/services.py", "from ..invoicing import selectors", "later stage"),
        ("webhooks/domain.py", "import clausier.orders.models", "later stage"),
        ("audit/services.py", "from clausier.numbering.services import next_number", "same"),
        ("terms/models.py", "from clausier.legal import models", None),
        (
            "invoicing/models.py",
            "from clausier.web.forms import add_service_errors",
            "web outside ui/",
        ),
        ("invoicing/services.py", "from clausier.quotes.ui.backoffice import edit", "own"),
        ("invoicing/selectors.py", "from clausier.orders.handlers import open_order", "own"),
        ("orders/services.py", "from clausier.backoffice.forms import Form", "a shell"),
        ("kernel/events.py", "from clausier.audit.models import Event", "later stage"),
        ("web/forms.py", "from clausier.sellers.selectors import staff_scope", "later stage"),
    ],
)
def test_stage_order_catches_an_import_against_the_order(path, source, expected):
    path, _tree, found = parsed(path, f"def f():\n    {source}\n")
    violations = rules.stage_order(path, found, LAYOUT)
    if expected is None:
        assert violations == []
    else:
        assert len(violations) == 1
        assert violations[0].line == 2
        assert expected in violations[0].what


def test_stage_order_lets_screens_use_the_kit_and_shells_use_anything():
    good = {
        "quotes/ui/backoffice.py": """
            from clausier.sellers.access import staff_view
            from clausier.web.forms import add_service_errors
            from clausier.quotes import selectors
            from clausier.customers.presenters import client_card
            from clausier.kernel.errors import DomainError
            from clausier.audit.models import Event
        """,
        "customers/ui/portal.py": "from clausier.customers.access import portal_view",
        "invoicing/api.py": """
            from clausier.web.api import responses
            from clausier.sellers.access import api_scope
            from clausier.orders import events
        """,
        "orders/handlers.py": "from clausier.quotes.events import QuoteAccepted",
        "orders/ui/backoffice.py": "from clausier.webhooks.selectors import deliveries",
        "backoffice/urls.py": "from clausier.invoicing.ui import backoffice",
        "reactions.py": """
            from clausier.orders import handlers
            from clausier.webhooks import handlers as webhook_handlers
        """,
        "demo/loader.py": "from clausier.invoicing import services",
    }
    for path, source in good.items():
        path, _tree, found = parsed(path, source)
        assert rules.stage_order(path, found, LAYOUT) == [], path


def test_stage_order_on_the_tree():
    new, _stale = new_and_stale(real_stage_order(), STAGE_ORDER_ALLOWED)
    assert new == []


def test_stage_order_allow_list_only_shrinks():
    _new, stale = new_and_stale(real_stage_order(), STAGE_ORDER_ALLOWED)
    assert stale == [], "no longer violations: take them out of STAGE_ORDER_ALLOWED"


# --- b. no service importing another domain's services --------------------------------------


def test_cross_domain_services_catches_a_domain_calling_another_domains_services():
    bad = """
        from clausier.invoicing import services as invoicing_services
        from clausier.invoicing.services.issue import issue_invoice
        import clausier.terms.services
    """
    path, _tree, found = parsed("orders/handlers.py", bad)
    assert [(v.line, v.what) for v in rules.cross_domain_services(path, found, LAYOUT)] == [
        (2, "clausier.invoicing.services"),
        (3, "clausier.invoicing.services.issue.issue_invoice"),
        (4, "clausier.terms.services"),
    ]


def test_cross_domain_services_lets_a_domain_call_its_own_and_the_infrastructure():
    good = """
        from clausier.orders import services
        from .services import open_from_quote
        from clausier.audit.services import record
        from clausier.numbering.services import next_number
        from clausier.quotes.selectors import quote_for
    """
    path, _tree, found = parsed("orders/handlers.py", good)
    assert rules.cross_domain_services(path, found, LAYOUT) == []
    path, _tree, found = parsed("backoffice/views.py", "from clausier.orders import services")
    assert rules.cross_domain_services(path, found, LAYOUT) == []


def test_no_service_imports_another_domains_services_on_the_tree():
    new, _stale = new_and_stale(real_cross_services(), CROSS_SERVICES_ALLOWED)
    assert new == []


def test_cross_domain_services_allow_list_only_shrinks():
    _new, stale = new_and_stale(real_cross_services(), CROSS_SERVICES_ALLOWED)
    assert stale == [], "no longer violations: take them out of CROSS_SERVICES_ALLOWED"


# --- c. screens own nothing but presentation ------------------------------------------------


def test_screen_writes_catches_objects_save_and_atomic():
    bad = """
        from django.db import transaction
        from django.db.transaction import atomic

        def view(request, pk):
            quote = Quote.objects.get(pk=pk)
            quote.title = "x"
            quote.save(update_fields=["title"])
            with transaction.atomic():
                pass
    """
    path, tree, _found = parsed("quotes/ui/backoffice.py", bad)
    assert [(v.line, v.what) for v in rules.screen_writes(path, tree)] == [
        (3, "transaction.atomic"),
        (6, ".objects"),
        (8, ".save("),
        (9, "transaction.atomic"),
    ]


def test_screen_writes_passes_a_thin_screen():
    good = """
        from clausier.quotes import selectors, services

        def view(request, pk):
            quote = selectors.quote_for(scope=request.scope, pk=pk)
            services.send_quote(quote=quote, by=request.user)
            form.save_draft()  # not .save(
    """
    path, tree, _found = parsed("quotes/ui/backoffice.py", good)
    assert rules.screen_writes(path, tree) == []


def test_screens_checked_are_the_domains_ui_and_api_and_the_shells_screens():
    assert checked_screen("quotes/ui/backoffice.py")
    assert checked_screen("quotes/ui/forms.py")
    assert checked_screen("invoicing/api.py")
    assert checked_screen("backoffice/views_quotes.py")
    assert checked_screen("api/routers/quotes.py")
    assert not checked_screen("quotes/services.py")
    assert not checked_screen("api/idempotency.py")


def test_screens_never_write_on_the_tree():
    new, _stale = new_and_stale(real_screen_writes(), SCREEN_WRITES_ALLOWED)
    assert new == []


def test_screen_writes_allow_list_only_shrinks():
    _new, stale = new_and_stale(real_screen_writes(), SCREEN_WRITES_ALLOWED)
    assert stale == [], "no longer violations: take them out of SCREEN_WRITES_ALLOWED"


# --- d. no private import across modules ----------------------------------------------------


def test_private_imports_catches_a_private_name_imported_by_another_module():
    bad = """
        from clausier.invoicing.services import _build_lines, issue_invoice
        from clausier.invoicing import _helpers
        from .services import _mark_deposit_invoiced
    """
    path, _tree, found = parsed("invoicing/billing.py", bad)
    assert [(v.line, v.what) for v in rules.private_imports(path, found)] == [
        (2, "clausier.invoicing.services._build_lines"),
        (3, "clausier.invoicing._helpers"),
        (4, "clausier.invoicing.services._mark_deposit_invoiced"),
    ]


def test_private_imports_passes_public_and_own_names():
    good = """
        from clausier.invoicing.services import issue_invoice
        from clausier.invoicing import __version__
        from django.db.models import _private_thing_of_django
    """
    path, _tree, found = parsed("invoicing/billing.py", good)
    assert rules.private_imports(path, found) == []
    path, _tree, found = parsed("invoicing/services/__init__.py", "from ._lines import x")
    assert [v.what for v in rules.private_imports(path, found)] == []
    path, _tree, found = parsed("invoicing/services/issue.py", "from ._lines import x")
    assert [v.what for v in rules.private_imports(path, found)] == [
        "clausier.invoicing.services._lines.x"
    ]


def test_no_private_import_across_modules_on_the_tree():
    new, _stale = new_and_stale(real_private_imports(), PRIVATE_IMPORTS_ALLOWED)
    assert new == []


def test_private_imports_allow_list_only_shrinks():
    _new, stale = new_and_stale(real_private_imports(), PRIVATE_IMPORTS_ALLOWED)
    assert stale == [], "no longer violations: take them out of PRIVATE_IMPORTS_ALLOWED"


# --- e. a status field means a state table ----------------------------------------------------

STATUS_MODELS = """
    class Payment(models.Model):
        status = models.CharField(max_length=20)
        payment_status: str = models.CharField(max_length=20)
        statuses = models.JSONField()
        STATUS = "x"

    class Note(models.Model):
        delivery_status = models.CharField(max_length=20)
        body = models.TextField()

    class Plain(models.Model):
        name = models.CharField(max_length=20)
"""


def test_status_without_transitions_catches_each_status_field():
    path, tree, _found = parsed("payments/models.py", STATUS_MODELS)
    found = rules.status_without_transitions(path, tree, has_transitions=False)
    assert [(v.line, v.what) for v in found] == [
        (3, "Payment.status"),
        (4, "Payment.payment_status"),
        (9, "Note.delivery_status"),
    ]


def test_status_without_transitions_passes_a_domain_with_its_state_table():
    path, tree, _found = parsed("payments/models.py", STATUS_MODELS)
    assert rules.status_without_transitions(path, tree, has_transitions=True) == []


def test_has_transitions_reads_the_tree():
    assert rules.has_transitions("quotes")
    assert not rules.has_transitions("no-such-app")


def test_every_status_field_has_a_state_table_on_the_tree():
    found = real_status_without_transitions()
    new, _stale = new_and_stale(found, STATUS_WITHOUT_TRANSITIONS_ALLOWED)
    assert new == []


def test_status_without_transitions_allow_list_only_shrinks():
    found = real_status_without_transitions()
    _new, stale = new_and_stale(found, STATUS_WITHOUT_TRANSITIONS_ALLOWED)
    assert stale == [], "no longer violations: take them out of STATUS_WITHOUT_TRANSITIONS_ALLOWED"


# --- f. module size ---------------------------------------------------------------------------


def test_module_too_long_catches_a_module_over_800_lines():
    assert [v.what for v in rules.module_too_long("x/services.py", "x = 1\n" * 801)] == [
        "801 lines"
    ]
    assert rules.module_too_long("x/services.py", "x = 1\n" * 800) == []


def test_no_module_over_800_lines_on_the_tree():
    long = {v.path: v for v in real_long_modules()}
    assert [str(v) for path, v in sorted(long.items()) if path not in LONG_MODULES_ALLOWED] == []


def test_long_modules_allow_list_only_shrinks():
    long = {v.path for v in real_long_modules()}
    assert sorted(LONG_MODULES_ALLOWED - long) == [], "split: take them out of LONG_MODULES_ALLOWED"


def test_migrations_are_not_measured():
    assert not any("migrations" in m.path for m in rules.source_modules())


# --- g. no app-level import cycle -------------------------------------------------------------


def test_app_cycles_finds_a_cycle_in_a_bad_graph():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert rules.app_cycles(graph) == [frozenset({"a", "b", "c"})]


def test_app_cycles_passes_a_graph_in_stage_order():
    graph = {"quotes": {"terms", "customers"}, "terms": {"customers"}, "customers": set()}
    assert rules.app_cycles(graph) == []


def test_no_app_level_import_cycle_on_the_tree():
    found = rules.app_cycles(rules.import_graph().app_graph())
    new = [sorted(c) for c in found if not any(c <= allowed for allowed in CYCLES_ALLOWED)]
    assert new == []


def test_cycles_allow_list_only_shrinks():
    found = rules.app_cycles(rules.import_graph().app_graph())
    stale = [sorted(c) for c in CYCLES_ALLOWED if c not in found]
    assert stale == [], "the cycle shrank or went: update CYCLES_ALLOWED to what remains"


def test_the_rules_read_the_imports_as_scripts_import_graph_does():
    graph = rules.import_graph()
    for module in rules.source_modules():
        ours = {i.target for i in module.imports} | {i.module for i in module.imports}
        assert ours == graph.imports_of(rules.PACKAGE / module.path), module.path


SCREENS = sorted(PACKAGE.glob("*/ui/*.py"))


def has_urls(app) -> bool:
    # An app whose screens have several topics may give each its patterns (urls_<topic>.py).
    return (app / "urls.py").exists() or any(app.glob("urls_*.py"))


def test_every_app_with_screens_has_its_urls():
    missing = [p.parent.parent.name for p in SCREENS if not has_urls(p.parent.parent)]
    assert missing == []


# --- h. services: keyword-only, the actor typed -----------------------------------------------


def real_service_signatures():
    return [
        v
        for m in rules.source_modules()
        if rules.is_services_module(m.path)
        for v in rules.service_signatures(m.path, m.tree)
    ]


def test_services_modules_are_services_py_and_the_modules_of_a_services_package():
    assert rules.is_services_module("quotes/services.py")
    assert rules.is_services_module("invoicing/services/issue.py")
    assert rules.is_services_module("invoicing/services/__init__.py")
    assert not rules.is_services_module("invoicing/selectors.py")
    assert not rules.is_services_module("invoicing/domain/services.py")
    assert not rules.is_services_module("services.py")


def test_service_signatures_catches_positional_parameters_and_an_untyped_actor():
    bad = """
        from clausier.kernel.actor import Actor

        def issue(invoice, *, by, now=None):
            pass

        def cancel(order: Order, by: User) -> None:
            pass

        def resend(*args, by: "User | None" = None):
            pass

        def retry(*, delivery, by: Actor):
            pass

        def _helper(invoice, by):
            pass

        class Memo:
            def version(self, draft):
                pass
    """
    path, tree, _found = parsed("invoicing/services/issue.py", bad)
    assert [(v.line, v.what) for v in rules.service_signatures(path, tree)] == [
        (4, "issue(invoice) positional"),
        (4, "issue(by) not Actor"),
        (7, "cancel(order, by) positional"),
        (7, "cancel(by) not Actor"),
        (10, "resend(*args) positional"),
        (10, "resend(by) not Actor"),
    ]


def test_service_signatures_passes_keyword_only_services_typed_with_actor():
    good = """
        from clausier.kernel.actor import Actor

        @transaction.atomic
        def issue_invoice(*, invoice: Invoice, by: Actor, now: datetime | None = None):
            pass

        def expire_quote(*, quote, now=None, by: Actor = None) -> bool:
            pass

        def waiting_drafts():
            pass

        def record(*, event, by: "Actor"):
            pass
    """
    path, tree, _found = parsed("quotes/services.py", good)
    assert rules.service_signatures(path, tree) == []


def test_every_service_is_keyword_only_and_typed_with_actor_on_the_tree():
    assert [str(v) for v in real_service_signatures()] == []

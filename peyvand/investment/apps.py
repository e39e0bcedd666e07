from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "peyvand.investment"
    label = "investment"
    verbose_name = _("Investors and land")

    def ready(self) -> None:
        from peyvand.core import navigation
        from peyvand.core.audit import register_event
        from peyvand.core.permissions import can, is_staff_member
        from peyvand.core.templatetags.peyvand import register_choices

        from . import merging, tasks  # noqa: F401 — the merge rule and the daily overdue check register on import
        from .choices import ApplicationState, ContractState, MilestoneKind
        from .models import Application, Investor

        register_choices("application_state", ApplicationState)
        register_choices("contract_state", ContractState)
        navigation.register_group("investment", _("Investment"), 38)
        for url_name, label, visible, order, match in [
            (
                "investment:application_list",
                _("Investment applications"),
                lambda u: can(u, "view", Application),
                50,
                "/investment/applications/",
            ),
            (
                "investment:investor_list",
                _("Investors"),
                lambda u: can(u, "view", Investor),
                51,
                "/investment/investors/",
            ),
            (
                "investment:contract_list",
                _("Allocation contracts"),
                lambda u: can(u, "view", Application) and is_staff_member(u),
                52,
                "/investment/contracts/",
            ),
            (
                "investment:overdue_list",
                _("Overdue commitments"),
                is_staff_member,
                53,
                "/investment/overdue/",
            ),
            ("investment:land_use", _("Land-use plans"), is_staff_member, 54, "/investment/land-use/"),
            ("investment:weights", _("Screening weights"), is_staff_member, 55, "/investment/weights/"),
        ]:
            navigation.register(
                navigation.NavItem(
                    url_name, label, visible=visible, order=order, match=match, group="investment"
                )
            )

        def move_labels(data: dict) -> dict:
            def label(code: str | None) -> str:
                return str(ApplicationState(code).label) if code in ApplicationState.values else "—"

            reason = data.get("reason") or ""
            return {
                **data,
                "from": label(data.get("from")),
                "to": label(data.get("to")),
                "reason": reason or "—",
            }

        def milestone_label(data: dict) -> dict:
            kind = data.get("kind")
            return {**data, "kind": str(MilestoneKind(kind).label) if kind in MilestoneKind.values else kind}

        from peyvand.imports import engine as imports

        from .importers import AllocationImporter, ApplicationImporter, InvestorImporter

        for importer in (InvestorImporter, ApplicationImporter, AllocationImporter):
            imports.register(importer)
        register_event("investment.investor.created", _("Investor's file opened"))
        register_event("investment.investor.updated", _("Investor's file updated"))
        register_event("investment.evidence.added", _("Evidence added: %(description)s"))
        register_event("investment.evidence.checked", _("Evidence checked: %(description)s"))
        register_event("investment.application.created", _("Application drafted"))
        register_event("investment.application.updated", _("Application edited"))
        register_event("investment.application.moved", _("From %(from)s to %(to)s — %(reason)s"), move_labels)
        register_event("investment.application.screened", _("Screened: %(score)s points"))
        register_event("investment.contract.signed", _("Contract %(number)s signed on plot %(plot)s"))
        register_event("investment.milestone.done", _("Milestone done: %(kind)s"), milestone_label)
        register_event(
            "investment.milestone.overdue", _("Milestone overdue, investor told: %(kind)s"), milestone_label
        )
        register_event("investment.contract.repossessed", _("Land repossessed — %(reason)s"))
        register_event("investment.land_use.updated", _("Land-use plan updated"))
        register_event("investment.weights.changed", _("Screening weights changed"))

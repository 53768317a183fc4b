"""factory_boy factories for every model a test needs. Add new ones here, by app."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User
from django.db.models import Max

from cases import models as case_models
from deductions import models as deduction_models
from participants.models import Participant, ParticipantType
from products import models as product_models


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `role=` adds the role group (config.roles)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if extracted:
            obj.groups.add(Group.objects.get_or_create(name=extracted)[0])
        obj.save()


# --- participants -------------------------------------------------------------------------


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    type = ParticipantType.PERSON
    reference = factory.Sequence(lambda n: f"T-{n:07d}")
    name = factory.Sequence(lambda n: f"Person {n}")
    date_of_birth = factory.LazyAttribute(
        lambda o: date(1980, 1, 1) if o.type in ("person", "prospect") else None
    )


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.BankAccount"

    participant = factory.SubFactory(ParticipantFactory)
    account_name = factory.Sequence(lambda n: f"Konto {n}")
    account_number = "DE89370400440532013000"


class PersonFactory(ParticipantFactory):
    type = ParticipantType.PERSON


class UtilityFactory(ParticipantFactory):
    type = ParticipantType.UTILITY
    name = factory.Sequence(lambda n: f"Stadtwerke {n}")


# --- products -----------------------------------------------------------------------------


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = product_models.Product

    name = factory.Sequence(lambda n: f"Grundsicherung {n}")
    payment_frequency = product_models.PaymentFrequency.WEEKLY
    max_deduction_rate = Decimal("30.00")
    min_deduction_amount = Decimal("0.00")
    min_payment_amount = Decimal("0.00")
    tax_rate = None


class ComponentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = product_models.ComponentType

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Komponente {n}")
    deductible = True
    taxable = False


def _next_type_priority() -> int:
    top = product_models.DeductionType.objects.aggregate(m=Max("priority"))["m"]
    return (top or 0) + 1


class DeductionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = product_models.DeductionType

    name = factory.Sequence(lambda n: f"Abzugstyp {n}")
    category = product_models.DeductionCategory.UNAPPLIED
    priority = factory.LazyFunction(_next_type_priority)
    allowed_participant_types = factory.LazyFunction(
        lambda: ["person", "utility", "product_provider", "service_provider", "external_party"]
    )
    insufficient_balance_action = product_models.InsufficientBalanceAction.SKIP


class ProductDeductionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = product_models.ProductDeductionType

    product = factory.SubFactory(ProductFactory)
    deduction_type = factory.SubFactory(DeductionTypeFactory)
    priority = factory.LazyAttribute(
        lambda o: (
            (
                product_models.ProductDeductionType.objects.filter(product=o.product).aggregate(
                    m=Max("priority")
                )["m"]
                or 0
            )
            + 1
        )
    )


# --- cases --------------------------------------------------------------------------------


class IntegratedCaseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = case_models.IntegratedCaseType
        django_get_or_create = ("code",)

    code = "social_assistance"
    name = "Sozialhilfe"
    is_default = True


class IntegratedCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = case_models.IntegratedCase

    reference = factory.Sequence(lambda n: f"IC-{n:07d}")
    case_type = factory.SubFactory(IntegratedCaseTypeFactory)
    primary_client = factory.SubFactory(PersonFactory)
    opened_on = date(2026, 1, 1)
    created_by = factory.SubFactory(UserFactory)


class ProductDeliveryCaseFactory(factory.django.DjangoModelFactory):
    """An open case; `active=True` makes it active since its start date. Statuses are
    FSM-protected: a status is given when the row is made (the one assignment the field
    allows), never by updating the row behind the services' back."""

    class Meta:
        model = case_models.ProductDeliveryCase

    class Params:
        active = factory.Trait(
            status=case_models.CaseStatus.ACTIVE, activated_on=factory.SelfAttribute("start_date")
        )

    reference = factory.Sequence(lambda n: f"PDC-{n:07d}")
    integrated_case = factory.SubFactory(IntegratedCaseFactory)
    product = factory.SubFactory(ProductFactory)
    primary_client = factory.SelfAttribute("integrated_case.primary_client")
    start_date = date(2026, 1, 5)
    expected_end_date = date(2026, 12, 31)
    case_supervisor = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("case_supervisor")


class NomineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = case_models.Nominee

    case = factory.SubFactory(ProductDeliveryCaseFactory)
    participant = factory.SubFactory(PersonFactory)
    added_on = date(2026, 1, 5)


class CaseComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = case_models.CaseComponent

    case = factory.SubFactory(ProductDeliveryCaseFactory)
    component_type = factory.SubFactory(
        ComponentTypeFactory, product=factory.SelfAttribute("..case.product")
    )
    nominee = factory.SelfAttribute("case.primary_client")
    amount = Decimal("100.00")
    start_date = factory.SelfAttribute("case.start_date")


class FinancialComponentFactory(factory.django.DjangoModelFactory):
    """What activation derives from a case component (IC-9): the slice runs and
    simulations pay. Made directly where a test needs slices activation would not give."""

    class Meta:
        model = case_models.FinancialComponent

    component = factory.SubFactory(CaseComponentFactory)
    case = factory.SelfAttribute("component.case")
    nominee = factory.SelfAttribute("component.nominee")
    amount = factory.SelfAttribute("component.amount")
    frequency = factory.SelfAttribute("case.product.payment_frequency")
    start_date = factory.SelfAttribute("component.start_date")


class LiabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = case_models.Liability

    participant = factory.SubFactory(PersonFactory)
    liability_case_id = factory.Sequence(lambda n: f"VB-{n:06d}")
    original_amount = Decimal("500.00")
    outstanding_amount = factory.SelfAttribute("original_amount")


# --- deductions ---------------------------------------------------------------------------


class DeductionFactory(factory.django.DjangoModelFactory):
    """A fixed unapplied deduction on the case's primary client, inactive; another
    `status` (with `activated_on`) may be given when it is made (see
    ProductDeliveryCaseFactory)."""

    class Meta:
        model = deduction_models.Deduction

    case = factory.SubFactory(ProductDeliveryCaseFactory)
    deduction_type = factory.SubFactory(DeductionTypeFactory)
    category = factory.SelfAttribute("deduction_type.category")
    amount = Decimal("30.00")
    percentage = None
    nominee = factory.LazyAttribute(
        lambda o: o.case.primary_client if o.amount is not None else None
    )
    start_date = factory.SelfAttribute("case.start_date")
    end_date = date(2026, 12, 31)
    priority = factory.LazyAttribute(
        lambda o: (
            (
                deduction_models.Deduction.objects.filter(case=o.case)
                .exclude(status="cancelled")
                .aggregate(m=Max("priority"))["m"]
                or 0
            )
            + 1
        )
    )
    created_by = factory.SelfAttribute("case.case_supervisor")


# --- workflow -----------------------------------------------------------------------------


class ThirdPartyDeductionFactory(DeductionFactory):
    """A fixed third-party deduction paid to a utility (CD-4), inactive."""

    deduction_type = factory.SubFactory(
        DeductionTypeFactory,
        category=product_models.DeductionCategory.THIRD_PARTY,
        name=factory.Sequence(lambda n: f"Strom {n}"),
    )
    third_party = factory.SubFactory(UtilityFactory)
    third_party_account_number = "DE02120300000000202051"
    third_party_reference = factory.Sequence(lambda n: f"KD-{n:06d}")


class WorkflowEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workflow.WorkflowEvent"

    event_type = "deduction_created"
    payload = factory.LazyFunction(dict)


class EventProcessMappingFactory(factory.django.DjangoModelFactory):
    """`process` may be given as a process code (the built-in ones: create_supervisor_task,
    notify_user, log_only, notify_case_supervisor) or a WorkflowProcess."""

    class Meta:
        model = "workflow.EventProcessMapping"

    event_type = "deduction_created"
    process = "log_only"
    active = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        from workflow.demo import ensure_builtin_processes

        process = kwargs.pop("process")
        if isinstance(process, str):
            ensure_builtin_processes()
            kwargs["process_id"] = process
        else:
            kwargs["process"] = process
        return kwargs


class WorkflowProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workflow.WorkflowProcess"

    code = factory.Sequence(lambda n: f"prozess-{n}")
    name = factory.Sequence(lambda n: f"Prozess {n}")
    action = "task"
    recipient = "case_supervisor"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workflow.Task"

    subject = factory.Sequence(lambda n: f"Aufgabe {n}")
    assignee = factory.SubFactory(UserFactory)
    link = "/"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workflow.Notification"

    recipient = factory.SubFactory(UserFactory)
    message = factory.Sequence(lambda n: f"Hinweis {n}")
    link = "/"


class HandledProcessFactory(factory.django.DjangoModelFactory):
    """A process's record for one event (exactly once, WF-4); failed by default."""

    class Meta:
        model = "workflow.HandledProcess"

    event = factory.SubFactory(WorkflowEventFactory)
    mapping = factory.SubFactory(EventProcessMappingFactory)
    status = "failed"
    attempts = 1


# --- payments -----------------------------------------------------------------------------


class BenefitPaymentFactory(factory.django.DjangoModelFactory):
    """An issued benefit payment of the case's primary client for the case's first week."""

    class Meta:
        model = "payments.Payment"

    case = factory.SubFactory(ProductDeliveryCaseFactory)
    nominee = factory.SelfAttribute("case.primary_client")
    payee = factory.SelfAttribute("nominee")
    kind = "benefit"
    period_start = factory.SelfAttribute("case.start_date")
    period_end = factory.LazyAttribute(lambda o: o.period_start + timedelta(days=6))
    effective_date = factory.LazyAttribute(lambda o: o.period_end + timedelta(days=1))
    gross = Decimal("100.00")
    tax = Decimal("0.00")
    net = Decimal("100.00")


class DeductionProcessingFactory(factory.django.DjangoModelFactory):
    """A processed line of a deduction on a payment (the processing history, CD-15)."""

    class Meta:
        model = "payments.DeductionProcessing"

    deduction = factory.SubFactory(DeductionFactory)
    payment = factory.SubFactory(
        BenefitPaymentFactory, case=factory.SelfAttribute("..deduction.case")
    )
    nominee = factory.SelfAttribute("payment.nominee")
    period_start = factory.SelfAttribute("payment.period_start")
    period_end = factory.SelfAttribute("payment.period_end")
    status = "processed"
    amount = Decimal("30.00")
    balance_after = Decimal("0.00")


class ThirdPartyPaymentFactory(factory.django.DjangoModelFactory):
    """An issued third-party payment of a third-party deduction (PAY-11, TP-2)."""

    class Meta:
        model = "payments.Payment"

    deduction = factory.SubFactory(ThirdPartyDeductionFactory)
    case = factory.SelfAttribute("deduction.case")
    nominee = factory.SelfAttribute("deduction.case.primary_client")
    payee = factory.SelfAttribute("deduction.third_party")
    kind = "third_party"
    period_start = date(2026, 1, 5)
    period_end = date(2026, 1, 11)
    effective_date = date(2026, 1, 12)
    gross = Decimal("30.00")
    tax = Decimal("0.00")
    net = Decimal("30.00")
    account_number = factory.SelfAttribute("deduction.third_party_account_number")
    reference = factory.SelfAttribute("deduction.third_party_reference")


class AgencyAccountEntryFactory(factory.django.DjangoModelFactory):
    """The agency account's credit for a third-party payment (LI-2)."""

    class Meta:
        model = "payments.AgencyAccountEntry"

    payment = factory.SubFactory(ThirdPartyPaymentFactory)
    case = factory.SelfAttribute("payment.case")
    deduction = factory.SelfAttribute("payment.deduction")
    deduction_type = factory.SelfAttribute("deduction.deduction_type")
    nominee = factory.SelfAttribute("payment.nominee")
    period_start = factory.SelfAttribute("payment.period_start")
    period_end = factory.SelfAttribute("payment.period_end")
    effective_date = factory.SelfAttribute("payment.effective_date")
    amount = factory.SelfAttribute("payment.net")


class SimulationFactory(factory.django.DjangoModelFactory):
    """A saved simulation (SIM-3) of the case's supervisor."""

    class Meta:
        model = "payments.Simulation"

    case = factory.SubFactory(ProductDeliveryCaseFactory)
    up_to = date(2026, 1, 12)
    payments = factory.LazyFunction(lambda: [{}])
    created_by = factory.SelfAttribute("case.case_supervisor")

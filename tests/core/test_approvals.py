"""Payment approvals: the roles each voucher needs, and the findings of the vouchers that lack one."""

from decimal import Decimal

from selfeval_lib.core.approvals import required_roles, voucher_statuses
from selfeval_lib.core.evaluation import evaluate
from selfeval_lib.core.model import Payment

from conftest import ALL, make_project, pay

def test_approval_thresholds_include_the_amount(national):
    rule = national.approvals
    assert required_roles(Decimal("4999.99"), rule) == ("经办人", "分管领导", "主要领导")
    assert required_roles(Decimal(5000), rule) == ("经办人", "分管领导", "主要领导", "党委会")
    assert required_roles(Decimal(10000), rule) == tuple(ALL)
    (status,) = voucher_statuses([Payment.model_validate(pay(12000, ALL[:4]))], rule)
    assert status.missing == ("分管区领导",) and not status.compliant


def test_approval_findings(national):
    payments = [pay(3000, ["经办人", "分管领导"], voucher="A"), pay(6000, ALL[:3], voucher="B"),
                pay(12000, ALL[:4], voucher="C"), pay(79000, ALL, voucher="D")]
    ev = evaluate(make_project(funds={"payments": payments}), national)
    by_code = {(f.code, f.subject) for f in ev.findings}
    assert ("APPROVAL_SIGNATURE_MISSING", "A") in by_code
    assert ("APPROVAL_ESCALATION_MISSING", "B") in by_code
    assert ("APPROVAL_ESCALATION_MISSING", "C") in by_code
    assert not any(s == "D" for _, s in by_code)
    assert [v.compliant for v in ev.vouchers] == [False, False, False, True]



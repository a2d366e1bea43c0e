"""The shapes of the loans API (field descriptions appear in the OpenAPI docs)."""

from __future__ import annotations

from datetime import date as date_type
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic import Field as PydanticField

from bangfu.core.api.schemas import Amount, Day, Text, Unset, number_as_typed
from bangfu.core.params import MAX_PARAM

from .models import LoanStatus
from .services import MAX_OBJECTS

Id = Annotated[int, PydanticField(ge=1, le=MAX_PARAM), BeforeValidator(number_as_typed)]
Crates = Annotated[int, PydanticField(ge=0, le=10_000), BeforeValidator(number_as_typed)]




class LoanFilters(Schema):
    side: Annotated[Literal["in", "out", ""] | None, Unset] = Field(
        None, description="in 本馆借入、out 本馆借出（博物馆工作人员）；不填为全部可见的借展")
    status: Annotated[Literal[(*LoanStatus.values, "")] | None, Unset] = Field(
        None, description="状态代码")
    overdue: bool = Field(False, description="true 只列逾期未归还的借展")


class LoanListOut(Schema):
    id: int
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    kind: str = Field(description="方式：loan 借用、exchange 交换")
    lender_id: int = Field(description="出借方博物馆编号")
    lender: str = Field(description="出借方")
    borrower_id: int = Field(description="借入方博物馆编号")
    borrower: str = Field(description="借入方")
    exhibition_title: str = Field(description="展览名称")
    venue: str = Field(description="展出地点")
    start: date_type = Field(description="借展起始日")
    end: date_type = Field(description="借展截止日")
    object_count: int = Field(description="藏品件数（不含审查中剔除的）")

    @staticmethod
    def resolve_status_label(loan) -> str:
        return loan.get_status_display()

    @staticmethod
    def resolve_lender(loan) -> str:
        return loan.lender.display_name

    @staticmethod
    def resolve_borrower(loan) -> str:
        return loan.borrower.display_name


class LoanObjectOut(Schema):
    id: int = Field(description="借展藏品编号（item_id）")
    object_id: int = Field(description="藏品编号")
    name: str = Field(description="藏品名称")
    registration_number: str = Field(description="总登记号")
    grade: str = Field(description="级别：一级、二级、三级、一般、未定级")
    review: str = Field(description="出借方审查：pending 待审查、fit 适宜出借、unfit 不宜出借")
    expert_verdict: str = Field(description="专家评估：空为无需评估，pending 待评估、fit 适宜、unfit 不宜")
    in_loan: bool = Field(description="是否仍在本次借展中（未被剔除）")
    outgoing_condition: str | None = Field(description="出馆点交的保存状态")
    incoming_condition: str | None = Field(description="归还点交的保存状态")
    differs: bool = Field(description="归还时与出馆时不一致")
    returned_on: date_type | None = Field(description="归还日期")


class FilingOut(Schema):
    authority: str = Field(description="机关代码：competent 主管部门、provincial 省级文物行政部门、national 国家文物局")
    name: str = Field(description="机关：主管部门、省级文物行政部门、国家文物局")
    kind: str = Field(description="filing 备案、approval 批准")
    label: str = Field(description="如 报主管部门备案")
    rule: str = Field(description="依据的规则代码")
    source: str = Field(description="法律依据")
    done: bool = Field(description="是否已登记")
    document_number: str | None = Field(description="文号")
    date: date_type | None = Field(description="日期")


class LoanOut(Schema):
    id: int
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    kind: str = Field(description="方式：loan 借用、exchange 交换")
    lender_id: int = Field(description="出借方博物馆编号")
    lender: str = Field(description="出借方")
    borrower_id: int = Field(description="借入方博物馆编号")
    borrower: str = Field(description="借入方")
    exhibition_title: str = Field(description="展览名称")
    purpose: str = Field(description="借展目的")
    venue: str = Field(description="展出地点")
    start: date_type = Field(description="借展起始日")
    end: date_type = Field(description="借展截止日")
    opening: date_type = Field(description="开展日期（未填时为起始日）")
    objects: list[LoanObjectOut] = Field(description="藏品")
    required_filings: list[FilingOut] = Field(description="须办理的备案或审批")
    next_actions: list[str] = Field(description="当前用户可以进行的操作（POST /api/loans/{id}/actions/{action}）")
    warnings: list[str] = Field(description="规则提醒（如距开展不足10个工作日备案）")


class LoanIn(Schema):
    lender_id: Id = Field(description="出借方博物馆编号")
    objects: list[Id] = Field(min_length=1, max_length=MAX_OBJECTS,
                              description="借用的藏品编号（出借方开放借展的藏品）")
    purpose: Text = Field(min_length=1, max_length=2000, description="借展目的")
    venue: Text = Field(min_length=1, max_length=200, description="展出地点")
    start: Day = Field(description="借展起始日（ISO 日期）")
    end: Day = Field(description="借展截止日；一次借展不超过36个月（《文物保护法》第五十六条）")
    opening: Day | None = Field(None, description="开展日期，不填为起始日")
    kind: Literal["loan", "exchange"] = Field("loan", description="方式：loan 借用（默认）、exchange 交换")
    exhibition_title: Text = Field("", max_length=100, description="展览名称")


class VerdictIn(Schema):
    item_id: Id = Field(description="借展藏品编号")
    fit: bool = Field(description="是否适宜展陈和运输")
    note: Text = Field("", max_length=300, description="意见（不宜时必填）")


class ActionIn(Schema):
    """Every action's fields in one shape: each action reads its own (see the operation's description)."""

    item_id: Id | None = Field(None, description="review_item、condition_check：借展藏品编号")
    fit: bool | None = Field(None, description="review_item：是否适宜出借")
    note: Text = Field("", max_length=5000,
                       description="review_item 审查意见；facility_review 结论；transport 运输安排")
    experts: Text = Field("", max_length=200, description="expert_review：评估专家")
    opinion: Text = Field("", max_length=5000, description="expert_review：评估意见")
    verdicts: list[VerdictIn] = Field([], max_length=MAX_OBJECTS, description="expert_review：逐件意见")
    security: Text = Field("", max_length=5000, description="facility_review：安防条件")
    fire: Text = Field("", max_length=5000, description="facility_review：消防条件")
    climate: Text = Field("", max_length=5000, description="facility_review：温湿度与光照条件")
    authority: Literal["competent", "provincial", "national", ""] = Field(
        "", description="file：competent 主管部门、provincial 省级文物行政部门、national 国家文物局")
    kind: Literal["filing", "approval", ""] = Field("", description="file：filing 备案、approval 批准")
    document_number: Text = Field("", max_length=60, description="file：文号")
    authority_name: Text = Field("", max_length=100, description="file：机关名称，如 山西省文物局")
    number: Text = Field("", max_length=60, description="sign：协议编号")
    signed_on: Day | None = Field(None, description="sign：签订日期")
    insurer: Text = Field("", max_length=100, description="transport：保险公司")
    policy_number: Text = Field("", max_length=60, description="transport：保单号")
    insured_amount: Amount(14, 2) | None = Field(None, description="transport：保险金额（元）")
    courier: Text = Field("", max_length=100, description="transport：承运单位")
    crates: Crates | None = Field(None, description="transport：包装箱数")
    direction: Literal["outgoing", "incoming", ""] = Field(
        "", description="condition_check：outgoing 出馆点交、incoming 归还点交")
    condition: Literal["good", "fair", "poor", "under_treatment", ""] = Field(
        "", description="condition_check：good 完好、fair 基本完好、poor 残缺/较差、under_treatment 修复中")
    checked_on: Day | None = Field(None, description="condition_check：点交日期")
    examiner: Text = Field("", max_length=60, description="condition_check：点交人")
    notes: Text = Field("", max_length=5000, description="condition_check：状况描述")
    new_damage: bool = Field(False, description="condition_check：发现新增损伤")
    item_ids: list[Id] | None = Field(None, max_length=MAX_OBJECTS,
                                      description="return：归还的借展藏品编号；不填为全部尚未归还的")
    date: Day | None = Field(None,
                             description="expert_review 评估日期；file 备案审批日期；dispatch、receive、return 日期")
    reason: Text = Field("", max_length=500, description="decline、withdraw、cancel：原因")

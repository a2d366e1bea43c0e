"""What conservation adds (the 文保 area of the programme, §三): the labs' service catalogue and the requests to
them, expert 会诊 cases and restoration projects, their ledger sources (a delivered lab service, a completed
restoration)."""

from bangfu.core.registry import ApiRouter, AttachmentOwner, HistoryType, LedgerSource, Module, NavEntry

from .reminders import REMINDERS

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})
REMOVE = "conservation.remove_file"

MODULE = Module(
    slug="conservation",
    title="文物保护",
    summary="实验室资源开放（检测分析、方案设计、现场指导）、专家会诊、濒危文物修复项目。",
    icon="bi-shield-check",
    nav=(NavEntry("文物保护", "conservation:home", "area-conservation", section="areas", icon="bi-shield-check",
                  roles=SIGNED_IN, order=2),),
    reminders=(REMINDERS,),
    ledger_sources=(
        LedgerSource(key="conservation.service", label="实验室服务", url_name="conservation:request"),
        LedgerSource(key="conservation.project", label="修复项目", url_name="conservation:project"),
    ),
    attachment_owners=(
        AttachmentOwner("conservation.servicerequest", view="conservation.view_request",
                        change="conservation.change_request", remove=REMOVE),
        AttachmentOwner("conservation.consultation", view="conservation.view_consultation",
                        change="conservation.add_consultation_file", remove=REMOVE),
        AttachmentOwner("conservation.restorationproject", view="conservation.view_project",
                        change="conservation.change_project", remove=REMOVE),
        AttachmentOwner("conservation.treatmentrecord", view="conservation.view_treatment",
                        change="conservation.change_treatment", remove=REMOVE),
    ),
    history_types=(
        HistoryType("conservation.labservice", "实验室服务"),
        HistoryType("conservation.servicerequest", "实验室服务申请"),
        HistoryType("conservation.consultation", "专家会诊"),
        HistoryType("conservation.restorationproject", "修复项目"),
    ),
    api=(ApiRouter("/conservation", "bangfu.conservation.api:router", order=65),),
)

"""What 培训班 adds to the platform (倡议书 §七): the association's and big museums' training classes — timetable,
nominations with quotas and a waiting list, sign-in by code or QR, completion with 学时 and certificates, one
ledger entry per sending museum, feedback."""

from bangfu.core.registry import ApiRouter, AttachmentOwner, HistoryType, LedgerSource, Module, NavEntry

from .reminders import REMINDERS

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})

MODULE = Module(
    slug="training",
    title="培训班",
    summary="专项业务培训班：发布、推荐报名与候补、扫码签到、结业证书与学时、台账。",
    icon="bi-easel",
    nav=(
        NavEntry("培训班", "training:classes", "training", section="people", icon="bi-easel", roles=SIGNED_IN,
                 order=10),
        NavEntry("我的培训", "training:mine", "training-mine", section="people", icon="bi-person-check",
                 roles=SIGNED_IN, order=11),
    ),
    reminders=(REMINDERS,),
    ledger_sources=(LedgerSource(key="training.class", label="培训班", url_name="training:result"),),
    attachment_owners=(
        AttachmentOwner("training.trainingclass", view="training.view_class", change="training.change_class",
                        remove="training.remove_file"),
    ),
    history_types=(HistoryType("training.trainingclass", "培训班"),),
    api=(ApiRouter("/training", "bangfu.training.api:router", order=66),),
)

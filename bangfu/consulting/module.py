"""What 远程咨询 adds to the platform (倡议书 §七): questions answered by helpers' staff and experts, the knowledge
base of accepted answers (the kernel's Chinese search), booked online consultations with their record."""

from bangfu.core.registry import ApiRouter, AttachmentOwner, HistoryType, Module, NavEntry

from .reminders import REMINDERS

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})
ANSWERERS = frozenset({"association_admin", "museum_admin", "museum_staff", "expert"})

MODULE = Module(
    slug="consulting",
    title="远程咨询",
    summary="县馆提问、帮扶馆和专家解答，采纳的回答汇成知识库；可预约在线咨询会议。",
    icon="bi-chat-dots",
    nav=(
        NavEntry("远程咨询", "consulting:home", "consulting", section="people", icon="bi-chat-dots",
                 roles=SIGNED_IN, order=50),
        NavEntry("咨询知识库", "consulting:knowledge", "consulting", section="people", icon="bi-journal-text",
                 roles=SIGNED_IN, order=51),
        NavEntry("待回答的问题", "consulting:todo", "consulting", section="people", icon="bi-inbox",
                 roles=ANSWERERS, order=52),
    ),
    reminders=(REMINDERS,),
    attachment_owners=(
        AttachmentOwner("consulting.question", view="consulting.view_question",
                        change="consulting.add_question_file", remove="consulting.remove_file"),
        AttachmentOwner("consulting.meeting", view="consulting.view_meeting", change="consulting.change_meeting",
                        remove="consulting.remove_file"),
    ),
    history_types=(HistoryType("consulting.question", "咨询问题"), HistoryType("consulting.meeting", "在线咨询会议")),
    api=(ApiRouter("/consulting", "bangfu.consulting.api:router", order=95),),
)

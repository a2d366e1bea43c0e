"""What agreements add to the platform: task reminders, and the tasks and pending confirmations on the home pages."""

from bangfu.core.registry import Module

from .reminders import REMINDERS

MODULE = Module(
    slug="agreements",
    title="帮扶协议与任务",
    summary="结对双方签订帮扶协议：目标、任务、期限、进度与佐证。",
    icon="bi-file-earmark-text",
    reminders=(REMINDERS,),
)

"""What 线上课程 adds to the platform (倡议书 §七): a course library with video, document and link lessons,
enrolment and progress per person; a completed course counts its 学时 into the person's learning record."""

from bangfu.core.registry import HistoryType, Module, NavEntry

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})

MODULE = Module(
    slug="courses",
    title="线上课程",
    summary="课程库：视频、文档与外部链接课时；报名学习、个人进度；学完计入个人学时档案。",
    icon="bi-play-btn",
    nav=(NavEntry("线上课程", "courses:library", "courses", section="people", icon="bi-play-btn",
                  roles=SIGNED_IN, order=50),),
    history_types=(HistoryType("courses.course", "线上课程"),),
)

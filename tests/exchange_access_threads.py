"""The exchange's threads pages in the access matrix (joined in tests/access_exchange.py): a need of the helped
museum, a thread started on it by the helper museum's admin, and a message with an attachment. An outsider (staff of
an unrelated museum) gets 404 for a thread and everything posted to it; the list is theirs (empty)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.exchange.services import post_create
from bangfu.exchange.threads import message_post, thread_start

MATRIX = {
    "exchange:threads": (lambda w: reverse("exchange:threads"), 200, 302),
    "exchange:thread": (lambda w: reverse("exchange:thread", args=[w.exchange_thread.pk]), 404, 302),
    "exchange:message": (lambda w: reverse("exchange:message", args=[w.exchange_thread.pk]), 404, 302),
    "exchange:confirm_match": (lambda w: reverse("exchange:confirm_match", args=[w.exchange_thread.pk]), 404, 302),
    "exchange:complete": (lambda w: reverse("exchange:complete", args=[w.exchange_thread.pk]), 404, 302),
    "exchange:close_thread": (lambda w: reverse("exchange:close_thread", args=[w.exchange_thread.pk]), 404, 302),
    # The outsider may respond to a published need (another museum's staff): a POST without a message is refused
    # with the form again, the reason beside the field (400).
    "exchange:respond": (lambda w: reverse("exchange:respond", args=[w.exchange_need.pk]), 400, 302),
}
POST_ONLY = {"exchange:message", "exchange:confirm_match", "exchange:complete", "exchange:close_thread",
             "exchange:respond"}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scene(world):
    if getattr(world, "exchange_need", None) is None:
        world.exchange_need = post_create(
            by=world.helped_admin, kind="need", area="conservation", title="馆藏明代壁画残块的保护修复指导",
            description="馆藏明代壁画残块 12 块，起甲、酥碱严重，希望有经验的单位派员现场指导保护修复。",
            publish=True)
    world.exchange_thread, _ = thread_start(post=world.exchange_need, by=world.helper_admin,
                                            message="我院文保中心可以派壁画修复人员到馆指导，请问残块目前的存放条件？")
    message = message_post(thread=world.exchange_thread, by=world.helped_admin, body="存放条件见附件照片和说明。",
                           file=SimpleUploadedFile("存放条件.pdf", PDF, content_type="application/pdf"))
    world.exchange_message_attachment = message.attachments.get()

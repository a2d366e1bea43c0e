"""远程咨询 for machines (read only): the knowledge base — accepted questions and answers — searched with the
platform's Chinese search, for every signed-in user (as the pages)."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from bangfu.core.api.auth import required_auth
from bangfu.core.api.pagination import Page
from bangfu.core.api.schemas import INVALID, UNAUTHENTICATED, Ref, Text

from . import selectors

router = Router(tags=["远程咨询"])


class KnowledgeFilters(Schema):
    q: Text | None = Field(None, max_length=200, description="检索词（中文分词），如 库房湿度")
    area: Text | None = Field(None, max_length=20, description="领域，如 conservation")
    tag: Text | None = Field(None, max_length=20, description="标签，如 青铜器")


class KnowledgeOut(Schema):
    id: int
    title: str
    area: str
    tags: list[str]
    museum: Ref = Field(description="提问馆")
    question: str = Field(description="问题的详细说明")
    answer: str = Field(description="被采纳的回答")
    answered_by: str
    resolved_at: str | None = Field(None, description="采纳时间（ISO 8601）")

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_question(obj) -> str:
        return obj.body

    @staticmethod
    def resolve_answer(obj) -> str:
        return obj.accepted_answer.body

    @staticmethod
    def resolve_answered_by(obj) -> str:
        return obj.accepted_answer.author.display_name

    @staticmethod
    def resolve_resolved_at(obj) -> str | None:
        return obj.resolved_at.isoformat() if obj.resolved_at else None


@router.get("/knowledge", auth=required_auth, response={200: list[KnowledgeOut], **UNAUTHENTICATED, **INVALID},
            summary="咨询知识库", description="已采纳的问答；q 按中文分词检索（按相关度排序），可按领域和标签筛选。"
                                         "分页返回 {items, count}。")
@paginate(Page)
def list_knowledge(request, filters: Query[KnowledgeFilters]):
    rows, _, _ = selectors.knowledge(selectors.Filters(q=filters.q or "", area=filters.area or "",
                                                    tag=filters.tag or ""))
    return rows

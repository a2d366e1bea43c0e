"""Ranked matching: for a need the offers, for an offer the needs, each with its score and its reasons.

How one post's matches are found (a fixed number of queries, whatever the number of posts):

1. the post's own words come from its rows in the term index (PostTerm) — its SOURCE_WORDS heaviest — each word
   with its thesaurus equivalents;
2. one query (the words as a VALUES list, each counted by a capped sub-select) counts, per word, how many open posts
   of the other kind hold it (capped: a word found in more than DF_CAP posts tells nothing and is left out), giving
   each word its BM25 idf;
3. the post's QUERY_TERMS most telling words (its own weight × idf) and their equivalents select the candidates:
   one GROUP BY over the term index, restricted to the other kind and open posts, summing weight × idf, the best
   CANDIDATES kept — plus the newest AREA_CANDIDATES open posts of the other kind in the same area, so a good match
   in the same area and nearby is not missed for want of shared words;
4. only those candidates are loaded (with their museum, expert, serving regions, confirmed 对接 and pairings, one
   query each) and scored in Python (see WEIGHTS), each with the reasons a person reads.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When

from bangfu.core.areas import Area
from bangfu.places.geo import great_circle_km

from . import text
from .models import OPEN_STATUSES, TAKEN_STATUSES, Post, PostKind, PostTerm, Thread


@dataclass
class Match:
    post: object  # the matched Post
    score: float  # 0–100
    reasons: list[str] = field(default_factory=list)  # 共同词：壁画、修复 · 相距 85 公里 · 结对馆 · 尚可服务 2 家
    shared_words: list[str] = field(default_factory=list)
    km: float | None = None
    paired: bool = False
    capacity_left: int | None = None
    for_post: object = None  # recommended_for: which of the user's posts it matches (None for an expert's profile)


# Points of each part of the score (they add up to 100).
WEIGHTS = {
    "area": 25,  # the same area of help
    "text": 35,  # the texts share telling words (BM25 over the term index, thesaurus included)
    "subtype": 10,  # the same sub-type (巡展, 检测分析…)
    "distance": 15,  # full at 0 km, nothing from NEAR_KM on; an expert serving the place counts as near
    "capacity": 5,  # the provider can still serve several museums
    "paired": 10,  # the two museums are in an open pairing
}
NEAR_KM = 300.0
SERVES_POINTS = 12.0  # an expert (or an offer) that says it serves the place, without a known distance
SAME_CITY_POINTS = 12.0  # both in the same city, positions unknown
QUERY_TERMS = 10
CANDIDATES = 150
AREA_CANDIDATES = 30
DF_CAP = 3000  # a word held by more open posts than this is not counted further (and not used to select)
N_CAP = 5000  # the open posts of a kind are counted up to this (beyond, the idf of the words kept hardly moves)
SOURCE_WORDS = 60  # a source's heaviest words that are counted and may select (a 5,000-character text has hundreds)
DF_BATCH = 2000  # words (with their equivalents) counted per query; 5 sources × 60 words rarely need a second one
MIN_TEXT_OTHER_AREA = 0.12  # a post of another area must share at least this much text to be suggested
RECOMMEND_SOURCES = 5  # recommended_for reads at most this many of the user's open posts
USED_STATUSES = TAKEN_STATUSES


@dataclass
class _Source:
    """What is matched: a post, or an expert's profile (their specialties and tags) for recommendations."""

    kind: str
    areas: frozenset
    weights: dict  # word → BM25 term-frequency weight in the source
    post: Post | None = None
    museum: object = None
    expert: object = None
    subtype: object = None
    regions: list = field(default_factory=list)  # where an offer (or an expert) serves
    used: int = 0
    any_area: bool = False  # a museum's profile naming no area: every area is in, none is a reason

    @property
    def other_kind(self) -> str:
        return PostKind.OFFER if self.kind == PostKind.NEED else PostKind.NEED


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _position(museum, post=None):
    """A museum's position (the registry sets it from its county when not pinned on a map), else the post's city's
    centre."""
    if museum is not None and museum.lat is not None and museum.lng is not None:
        return museum.lat, museum.lng
    if post is not None and post.city_id and post.city is not None:
        return post.city.lat, post.city.lng
    return None


def _serves(regions, museum) -> bool | None:
    """Whether regions (an offer's or an expert's) cover the museum's place; None when no regions are named (the
    whole province)."""
    if not regions:
        return None
    if museum is None:
        return False
    for region in regions:
        if region.pk in (museum.city_id, museum.county_id):
            return True
        if region.level == "province" and region.name == museum.province:
            return True
    return False


_POST_RELATED = ("museum", "museum__city", "museum__county", "expert", "expert__museum", "expert__museum__city",
                 "expert__museum__county", "subtype", "city")


def _document_frequencies(terms_by_kind: dict[str, set[str]]) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """(word, kind) → how many open posts of that kind hold the word, and kind → how many open posts there are, in one
    query (one more per DF_BATCH words beyond the first); each count stops at its cap (DF_CAP, N_CAP), so a word in
    half the posts costs no more than a rare one.

    The words come as the rows of one VALUES list, each counted by a correlated, capped sub-select that reads the
    (term, kind, is_open…) index — not as one sub-select per word joined by UNION ALL, which SQLite refuses beyond
    500 terms (SQLITE_MAX_COMPOUND_SELECT); a VALUES list has no such limit."""
    table, posts = PostTerm._meta.db_table, Post._meta.db_table
    keys = [(term, kind) for kind, terms in sorted(terms_by_kind.items()) for term in sorted(terms)]
    kinds = sorted(terms_by_kind)
    df, totals = {}, {}
    if not keys:
        return df, totals
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    with connection.cursor() as cursor:
        for start in range(0, len(keys), DF_BATCH):
            batch = keys[start:start + DF_BATCH]
            # Only the caps and the placeholders are written into the SQL; words, kinds and statuses are parameters.
            sql = (f"SELECT v.column1, v.column2, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} t "  # noqa: S608
                   f"WHERE t.term = v.column1 AND t.kind = v.column2 AND t.is_open = %s LIMIT {DF_CAP}) capped) "
                   f"FROM (VALUES {', '.join(['(%s, %s)'] * len(batch))}) v")
            params = [True, *(value for key in batch for value in key)]
            if start == 0:  # the open posts of each kind, with the first batch
                for kind in kinds:
                    sql += (f" UNION ALL SELECT NULL, %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {posts} "  # noqa: S608
                            f"WHERE kind = %s AND status IN ({statuses}) LIMIT {N_CAP}) capped)")
                    params += [kind, kind, *OPEN_STATUSES]
            cursor.execute(sql, params)
            for term, kind, n in cursor.fetchall():
                if term is None:
                    totals[kind] = n
                else:
                    df[(term, kind)] = n
    return df, totals


def _heaviest(weights: dict[str, float]) -> dict[str, float]:
    """The source's SOURCE_WORDS heaviest words (by their own weight, then alphabetically): a long description
    matches on what it says most, and the counting stays small."""
    if len(weights) <= SOURCE_WORDS:
        return weights
    return dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:SOURCE_WORDS])


def _choose_terms(source: _Source, df, totals, thesaurus) -> dict[str, tuple[str, float]]:
    """The source's most telling words and their equivalents: candidate word → (the source's word, its idf)."""
    kind = source.other_kind
    n = max(totals.get(kind, 0), 1)
    scored = []
    for word, weight in source.weights.items():
        family = [w for w in text.expand(word, thesaurus) if 0 < df.get((w, kind), 0) < DF_CAP]
        if family:
            best = max(_idf(df[(w, kind)], n) for w in family)
            scored.append((weight * best, word, family))
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = scored[:QUERY_TERMS]
    # A chosen word stands for itself first; an equivalent counts for the first word it is an equivalent of.
    chosen: dict[str, tuple[str, float]] = {word: (word, _idf(df[(word, kind)], n))
                                            for _, word, family in top if word in family}
    for _, word, family in top:
        for w in family:
            if w not in chosen:
                chosen[w] = (word, _idf(df[(w, kind)], n))
    return chosen


def _rank(sources: list[_Source], *, limit: int, regions: bool = False) -> list[list[Match]]:
    """The matches of each source, best first (the same queries for one source as for several); with regions, the
    matched posts come with their serving regions (one query more, for the API)."""
    if not sources:
        return []
    for source in sources:
        source.weights = _heaviest(source.weights)
    # (sources without words — a museum the registry says nothing about — need no thesaurus)
    thesaurus = text.thesaurus() if any(s.weights for s in sources) else None
    terms_by_kind: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for word in source.weights:
            terms_by_kind[source.other_kind].update(text.expand(word, thesaurus))
    df, totals = _document_frequencies(terms_by_kind)
    chosen = [_choose_terms(source, df, totals, thesaurus) for source in sources]

    # Candidates: the best CANDIDATES by shared words (one grouped query over the term index) …
    kinds = sorted({s.other_kind for s in sources})
    idf_of: dict[str, float] = {}
    for terms in chosen:
        for word, (_, weight) in terms.items():
            idf_of[word] = max(idf_of.get(word, 0.0), weight)
    ids: list[int] = []
    if idf_of:
        whens = [When(term=w, then=Value(v)) for w, v in sorted(idf_of.items())]
        ids = list(PostTerm.objects.filter(term__in=sorted(idf_of), kind__in=kinds, is_open=True)
                   .values("post_id")
                   .annotate(s=Sum(F("weight") * Case(*whens, default=Value(0.0), output_field=FloatField())))
                   .order_by("-s", "post_id").values_list("post_id", flat=True)[:CANDIDATES])
    # … and the newest open posts of the other kind in the same areas.
    areas = sorted({a for s in sources for a in s.areas})
    # (newest by id: the (kind, area, status) index holds it, so no row is read to sort by date)
    ids += list(Post.objects.filter(kind__in=kinds, area__in=areas, status__in=OPEN_STATUSES)
                .order_by("-id").values_list("pk", flat=True)[:AREA_CANDIDATES])
    ids = list(dict.fromkeys(ids))

    # Only what the score needs is read for the candidates; the few matches shown are loaded whole at the end.
    candidates = _light_posts(ids)
    source_posts = [s.post for s in sources if s.post is not None]
    posts_regions = _post_regions([*candidates, *source_posts])
    experts_regions = _expert_regions([p.expert_id for p in [*candidates, *source_posts] if p.expert_id])
    used = dict(Thread.objects.filter(post_id__in=[p.pk for p in [*candidates, *source_posts]],
                                      status__in=USED_STATUSES)
                .values_list("post_id").annotate(n=Count("id")).values_list("post_id", "n"))
    for source in sources:
        if source.post is not None:
            source.used = used.get(source.post.pk, 0)
            source.regions = (posts_regions.get(source.post.pk) or experts_regions.get(source.post.expert_id)
                              or [])
    pairs = _pairs({s.museum.pk for s in sources if s.museum is not None},
                   {p.museum_id for p in candidates if p.museum_id})
    shared = defaultdict(dict)
    all_terms = sorted({w for terms in chosen for w in terms})
    if all_terms and candidates:
        for post_id, term, weight in PostTerm.objects.filter(post_id__in=[p.pk for p in candidates],
                                                             term__in=all_terms).values_list("post_id", "term",
                                                                                             "weight"):
            shared[post_id][term] = weight

    results = []
    for source, terms in zip(sources, chosen, strict=True):
        matches = []
        for post in candidates:
            match = _score(source, post, terms, shared[post.pk], used.get(post.pk, 0),
                           regions=posts_regions.get(post.pk, []),
                           expert_regions=experts_regions.get(post.expert_id, []), pairs=pairs)
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: (-m.score, -(m.post.published_at.timestamp() if m.post.published_at else 0),
                                    -m.post.pk))
        results.append(matches[:limit])
    shown = {m.post.pk for matches in results for m in matches}
    full = {}
    if shown:
        load = Post.objects.select_related(*_POST_RELATED)
        full = (load.prefetch_related("regions") if regions else load).in_bulk(shown)
    for matches in results:
        for m in matches:
            m.post = full[m.post.pk]
    return results


class _Place:
    """A division read as values: its name (str) and centre."""

    __slots__ = ("lat", "lng", "name", "pk")

    def __init__(self, pk, name="", lat=None, lng=None):
        self.pk, self.name, self.lat, self.lng = pk, name, lat, lng

    def __str__(self):
        return self.name


class _Light:
    """What the score reads of a candidate post, of its museum and of its expert (attributes named as on the
    models, so _score reads a source Post and a candidate alike)."""

    def __init__(self, **values):
        self.__dict__.update(values)


_LIGHT_FIELDS = ("pk", "kind", "area", "subtype_id", "museum_id", "expert_id", "capacity", "published_at", "city_id",
                 "city__lat", "city__lng", "museum__lat", "museum__lng", "museum__province", "museum__city_id",
                 "museum__city__name", "museum__county_id", "museum__county__name", "expert__museum_id",
                 "expert__museum__lat", "expert__museum__lng", "expert__museum__province")


def _light_posts(ids) -> list[_Light]:
    if not ids:
        return []
    posts = []
    for row in Post.objects.filter(pk__in=ids, status__in=OPEN_STATUSES).values(*_LIGHT_FIELDS):
        museum = expert = None
        if row["museum_id"]:
            museum = _Light(pk=row["museum_id"], lat=row["museum__lat"], lng=row["museum__lng"],
                            province=row["museum__province"], city_id=row["museum__city_id"],
                            county_id=row["museum__county_id"],
                            city=_Place(row["museum__city_id"], row["museum__city__name"] or "")
                            if row["museum__city_id"] else None,
                            county=_Place(row["museum__county_id"], row["museum__county__name"] or "")
                            if row["museum__county_id"] else None)
        if row["expert_id"]:
            home = None
            if row["expert__museum_id"]:
                home = _Light(pk=row["expert__museum_id"], lat=row["expert__museum__lat"],
                              lng=row["expert__museum__lng"], province=row["expert__museum__province"])
            expert = _Light(pk=row["expert_id"], museum=home)
        posts.append(_Light(
            pk=row["pk"], kind=row["kind"], area=row["area"], subtype_id=row["subtype_id"], museum_id=row["museum_id"],
            expert_id=row["expert_id"], capacity=row["capacity"], published_at=row["published_at"],
            city_id=row["city_id"], city=_Place(row["city_id"], "", row["city__lat"], row["city__lng"])
            if row["city_id"] else None, museum=museum, expert=expert))
    return posts


def _post_regions(posts) -> dict[int, list]:
    ids = [p.pk for p in posts if p is not None]
    found = defaultdict(list)
    if ids:
        for row in Post.regions.through.objects.filter(post_id__in=ids).select_related("division"):
            found[row.post_id].append(row.division)
    return found


def _expert_regions(expert_ids) -> dict[int, list]:
    from bangfu.experts.models import Expert

    found = defaultdict(list)
    if expert_ids:
        for row in Expert.regions.through.objects.filter(expert_id__in=set(expert_ids)).select_related("division"):
            found[row.expert_id].append(row.division)
    return found


def _pairs(museums_a: set[int], museums_b: set[int]) -> set[frozenset]:
    """The open pairings between a museum of one set and a museum of the other, as {a, b} pairs."""
    from bangfu.pairings.models import Pairing

    if not museums_a or not museums_b:
        return set()
    rows = Pairing.objects.open().filter(
        Q(helper_id__in=museums_a, helped_id__in=museums_b) | Q(helper_id__in=museums_b, helped_id__in=museums_a)
    ).values_list("helper_id", "helped_id")
    return {frozenset(r) for r in rows}


def _score(source: _Source, post, terms, post_terms, used: int, *, regions, expert_regions, pairs) -> Match | None:
    if post.kind != source.other_kind:
        return None
    if source.museum is not None and post.museum_id == source.museum.pk:
        return None
    if source.expert is not None and post.expert_id == source.expert.pk:
        return None
    # The provider is the side that offers: its capacity left decides whether it can still take a museum.
    if post.kind == PostKind.OFFER:
        capacity_left = post.capacity - used
    elif source.post is not None:
        capacity_left = source.post.capacity - source.used
    else:
        capacity_left = None
    if capacity_left is not None and capacity_left <= 0:
        return None
    reasons: list[str] = []
    score = 0.0

    same_area = post.area in source.areas
    if source.any_area:
        pass
    elif same_area:
        score += WEIGHTS["area"]
        reasons.append(f"同属{Area(post.area).label}领域")

    # Text: for each of the source's chosen words, the best of the word and its equivalents in the candidate.
    # The word itself when the candidate has it; else its best equivalent (worth no more than the word).
    contributions: dict[str, tuple[float, str]] = {}
    total_idf: dict[str, float] = {own: idf for word, (own, idf) in terms.items() if word == own}
    for word, (own, idf) in terms.items():
        if own not in total_idf or (word != own and own not in terms):
            total_idf[own] = max(total_idf.get(own, 0.0), idf)  # the word itself is in no open post
    for word, (own, idf) in terms.items():
        weight = post_terms.get(word)
        if not weight:
            continue
        value = min(idf, total_idf.get(own, idf)) * weight
        if word == own:
            contributions[own] = (value + 1e9, word)  # the word itself wins over its equivalents
        elif own not in contributions or contributions[own][0] < value:
            contributions[own] = (value, word)
    contributions = {own: (v - 1e9 if v >= 1e9 else v, w) for own, (v, w) in contributions.items()}
    denominator = sum(total_idf.values())
    similarity = min(1.0, sum(v for v, _ in contributions.values()) / denominator) if denominator else 0.0
    if not same_area and similarity < MIN_TEXT_OTHER_AREA:
        return None
    score += WEIGHTS["text"] * math.sqrt(similarity)
    ranked = sorted(contributions.items(), key=lambda item: (-item[1][0], -len(item[0]), item[0]))
    words_found = [found for _, (_, found) in ranked]
    shared_words = [w for w in words_found if not any(w != o and w in o for o in words_found)][:5]
    if shared_words:
        reasons.append("共同关键词：" + "、".join(shared_words))
    synonyms = [f"{own}={found}" for own, (_, found) in ranked if own != found][:3]
    if synonyms:
        reasons.append("同义：" + "，".join(synonyms))

    if source.subtype is not None and post.subtype_id == source.subtype.pk:
        score += WEIGHTS["subtype"]
        reasons.append(f"同为“{source.subtype.name}”")

    km, points, place_reason = _distance(source, post, regions, expert_regions)
    score += points
    if place_reason:
        reasons.append(place_reason)

    if capacity_left is not None:
        score += WEIGHTS["capacity"] * min(capacity_left, 3) / 3
        reasons.append(f"尚可服务 {capacity_left} 家")

    paired = (source.museum is not None and post.museum_id is not None
              and frozenset((source.museum.pk, post.museum_id)) in pairs)
    if paired:
        score += WEIGHTS["paired"]
        reasons.append("已结对")

    return Match(post=post, score=round(min(score, 100.0), 1), reasons=reasons, shared_words=shared_words, km=km,
                 paired=paired, capacity_left=capacity_left, for_post=source.post)


def _distance(source: _Source, post, regions, expert_regions):
    """(km or None, points, reason): the distance between the two places, or whether the offering side serves the
    needing side's place."""
    need_museum = post.museum if post.kind == PostKind.NEED else source.museum
    if post.kind == PostKind.OFFER:
        offer_regions = regions or expert_regions
        offer_expert = post.expert
    else:
        offer_regions = source.regions
        offer_expert = source.expert
    serves = _serves(offer_regions, need_museum)
    if serves is False:
        return None, 0.0, ""
    km = None
    a = _position(source.museum if source.museum is not None else getattr(source.expert, "museum", None),
                  source.post)
    b = _position(post.museum if post.museum_id else getattr(post.expert, "museum", None), post)
    if a and b:
        km = round(great_circle_km(*a, *b), 1)
    points = WEIGHTS["distance"] * max(0.0, 1 - km / NEAR_KM) if km is not None else 0.0
    reason = f"相距 {km:.0f} 公里" if km is not None else ""
    if serves:
        place = need_museum.county or need_museum.city
        if points < SERVES_POINTS:
            points = SERVES_POINTS
            reason = f"可前往{place}" if place else "服务地区内"
    elif offer_expert is not None and km is None:
        # An expert who names no region serves the whole province: the province of their museum, if any.
        home = getattr(offer_expert.museum, "province", None)
        if need_museum is not None and (home is None or home == need_museum.province):
            points = SERVES_POINTS
            reason = "专家可前往全省"
    elif km is None and need_museum is not None:
        other = source.museum if post.kind == PostKind.NEED else post.museum
        if other is not None and other.city_id and other.city_id == need_museum.city_id:
            points = SAME_CITY_POINTS
            reason = f"同在{need_museum.city}"
    return km, points, reason


# --- the sources ---------------------------------------------------------------------------------------------------

def _post_sources(posts) -> list[_Source]:
    weights = defaultdict(dict)
    for post_id, term, weight in PostTerm.objects.filter(post_id__in=[p.pk for p in posts]).values_list(
            "post_id", "term", "weight"):
        weights[post_id][term] = weight
    return [_Source(kind=p.kind, areas=frozenset([p.area]), weights=weights[p.pk], post=p,
                    museum=p.museum if p.museum_id else None, expert=p.expert if p.expert_id else None,
                    subtype=p.subtype if p.subtype_id else None) for p in posts]


def matches_for(post, *, limit: int = 20, regions: bool = False) -> list[Match]:
    """The open posts of the other kind, best first: for a need the offers, for an offer the needs (never the
    owner's own, never an offer with no capacity left). With regions, each matched post's serving regions are
    prefetched (the API lists them)."""
    loaded = Post.objects.select_related(*_POST_RELATED).filter(pk=post.pk).first()
    if loaded is None:
        return []
    return _rank(_post_sources([loaded]), limit=limit, regions=regions)[0]


def recommended_for(user, *, limit: int = 5) -> list[Match]:
    """"Recommended for you": the best matches over the open posts of the user's museum (or, for an expert, their
    open offers; for an expert with no posts, open needs in their specialty areas, read against their tags), each
    matched post once. A fixed number of queries."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return []
    if user.role in ("museum_admin", "museum_staff") and user.museum_id:
        owned = Q(museum_id=user.museum_id)
        expert = None
    elif user.role == "expert":
        from .rules import expert_of

        expert = expert_of(user)
        if expert is None:
            return []
        owned = Q(expert_id=expert.pk)
    else:
        return []
    posts = list(Post.objects.open().filter(owned).select_related(*_POST_RELATED)
                 .order_by("-published_at", "-id")[:RECOMMEND_SOURCES])
    if posts:
        sources = _post_sources(posts)
    elif expert is not None:
        sources = _expert_sources(expert)
    else:
        sources = _museum_sources(user.museum)
    best: dict[int, Match] = {}
    for matches in _rank(sources, limit=limit):
        for match in matches:
            if match.post.pk not in best or best[match.post.pk].score < match.score:
                best[match.post.pk] = match
    return sorted(best.values(), key=lambda m: (-m.score, -m.post.pk))[:limit]


def _expert_sources(expert) -> list[_Source]:
    """An expert without posts, as an offer: their specialty areas, their tags and title as its words."""
    if expert is None:
        return []
    from bangfu.experts.models import Expert

    expert = Expert.objects.select_related("museum", "museum__city", "museum__county").get(pk=expert.pk)
    areas = frozenset(expert.specialties.values_list("area", flat=True))
    if not areas:
        return []
    from .index import term_weights

    words = text.words(" ".join([expert.tags, expert.title]))
    regions = list(expert.regions.all())
    return [_Source(kind=PostKind.OFFER, areas=areas, weights=term_weights(words), museum=None, expert=expert,
                    regions=regions)]


def _museum_sources(museum) -> list[_Source]:
    """A museum without open posts, as what the registry says it needs and offers (one source per entry, its text
    as the words); a museum the registry says nothing about, as its programme role: a helper offers, a helped museum
    needs, in any area (then nearness and the pairing rank)."""
    from bangfu.museums.models import MuseumArea

    from .index import term_weights

    if museum is None:
        return []
    entries = list(MuseumArea.objects.filter(museum_id=museum.pk).order_by("kind", "area"))
    if entries:
        return [_Source(kind=PostKind.OFFER if e.kind == PostKind.OFFER else PostKind.NEED,
                        areas=frozenset([e.area]), weights=term_weights(text.words(e.text)), museum=museum)
                for e in entries]
    kind = PostKind.OFFER if museum.is_helper else PostKind.NEED
    return [_Source(kind=kind, areas=frozenset(Area.values), weights={}, museum=museum, any_area=True)]

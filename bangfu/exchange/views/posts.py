"""Posts pages of the exchange: the search (also the public board), a post, its forms and the review."""

from django.shortcuts import render
from django.urls import path

from bangfu.permissions import get_for_user

from ..models import Post


def search(request):
    posts = Post.objects.published().with_owner()[:20]
    return render(request, "exchange/search.html", {"posts": posts, "nav": "exchange"})


# placeholder until the posts part lands
def detail(request, pk: int):
    post = get_for_user(request.user, Post.objects.with_owner(), view="exchange.view_post", pk=pk)
    return render(request, "exchange/search.html", {"posts": [post], "nav": "exchange"})


urlpatterns = [
    path("", search, name="search"),
    path("<int:pk>/", detail, name="detail"),  # placeholder until the posts part lands
]

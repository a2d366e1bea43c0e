"""Posts pages of the exchange: the search (also the public board), a post, its forms and the review."""

from django.shortcuts import render
from django.urls import path

from ..models import Post


def search(request):
    posts = Post.objects.published().with_owner()[:20]
    return render(request, "exchange/search.html", {"posts": posts, "nav": "exchange"})


urlpatterns = [
    path("", search, name="search"),
]

from .views import board, posts, threads

app_name = "exchange"
urlpatterns = [*posts.urlpatterns, *threads.urlpatterns, *board.urlpatterns]

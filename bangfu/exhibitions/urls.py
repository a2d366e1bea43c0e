from .views import projects, stops, touring

app_name = "exhibitions"
urlpatterns = [*touring.urlpatterns, *stops.urlpatterns, *projects.urlpatterns]

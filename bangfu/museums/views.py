from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("TODO")


directory = review = detail = edit = edit_areas = set_position = photos = delete_photo = history = _todo
